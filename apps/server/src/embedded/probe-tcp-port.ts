import { createConnection } from 'node:net';

/**
 * Whether something accepts a TCP connection on host:port within `timeoutMs`. "Something answers" is
 * all the development defaults need to know: whether it is the right server is for the real connection to say.
 */
export function probeTcpPort(host: string, port: number, timeoutMs = 300): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (answered: boolean) => {
      socket.destroy();
      resolve(answered);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
