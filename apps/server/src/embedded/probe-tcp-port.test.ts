import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { probeTcpPort } from './probe-tcp-port.js';

describe('probeTcpPort', () => {
  it('is true while something listens and false once it has stopped', async () => {
    const server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    expect(await probeTcpPort('127.0.0.1', port)).toBe(true);
    await new Promise((resolve) => server.close(resolve));
    expect(await probeTcpPort('127.0.0.1', port)).toBe(false);
  });
});
