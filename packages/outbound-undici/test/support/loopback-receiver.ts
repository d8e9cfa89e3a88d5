/*
 * A real HTTP(S) server on a loopback address that counts what reached it, so tests can prove that a
 * refused request never connected.
 */
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

export type Handler = (request: IncomingMessage, response: ServerResponse) => void;

export interface LoopbackReceiver {
  readonly host: string;
  readonly port: number;
  /** `http://<host>:<port>` (or https). */
  readonly origin: string;
  readonly connections: () => number;
  readonly requests: () => number;
  /** Resolves when every connection the server accepted so far has closed. */
  readonly allClosed: () => Promise<void>;
  close(): Promise<void>;
}

export interface ReceiverOptions {
  readonly host?: string;
  /** Default: any free port. */
  readonly port?: number;
  readonly tls?: { readonly cert: string; readonly key: string };
}

export async function startReceiver(handler: Handler, options: ReceiverOptions = {}): Promise<LoopbackReceiver> {
  const host = options.host ?? '127.0.0.1';
  const sockets = new Set<Socket>();
  const closed: Promise<void>[] = [];
  let connections = 0;
  let requests = 0;
  const onRequest: Handler = (request, response) => {
    requests += 1;
    handler(request, response);
  };
  const server = options.tls ? createHttpsServer(options.tls, onRequest) : createHttpServer(onRequest);
  server.on('connection', (socket: Socket) => {
    connections += 1;
    sockets.add(socket);
    closed.push(new Promise((resolve) => socket.once('close', () => resolve())));
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, host, resolve));
  const { port } = server.address() as AddressInfo;
  const scheme = options.tls ? 'https' : 'http';
  const hostPart = host.includes(':') ? `[${host}]` : host;
  return {
    host,
    port,
    origin: `${scheme}://${hostPart}:${port}`,
    connections: () => connections,
    requests: () => requests,
    allClosed: async () => {
      await Promise.all(closed);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
