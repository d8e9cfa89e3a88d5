/*
 * A TCP proxy in front of the server that a test can cut, to drop an event stream the way a network or a load
 * balancer does while the server keeps running. While held, new connections wait unanswered until released,
 * so a test can make things happen during the gap. It keeps the first bytes of every connection, so a test can
 * read the request head a reconnect sent.
 */
import { createConnection, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface CuttableProxy {
  readonly url: string;
  /** The start of each connection's request (its head), in order. */
  readonly requestHeads: readonly string[];
  /** Destroys every open connection. */
  cut(): void;
  /** New connections wait until `release`. */
  hold(): void;
  release(): void;
  /** Resolves once `count` connections have arrived in all. */
  connections(count: number): Promise<void>;
  close(): Promise<void>;
}

export async function startCuttableProxy(target: string): Promise<CuttableProxy> {
  const { hostname, port } = new URL(target);
  const open = new Set<Socket>();
  const heads: string[] = [];
  let held: Array<() => void> | null = null;
  const waiters: Array<{ count: number; resolve: () => void }> = [];

  const server = createServer((client) => {
    open.add(client);
    const index = heads.push('') - 1;
    client.on('data', (chunk: Buffer) => {
      if (heads[index]!.length < 4096) heads[index] += chunk.toString('latin1');
    });
    for (const waiter of waiters.filter((w) => heads.length >= w.count)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
    const connect = () => {
      if (client.destroyed) return;
      const upstream = createConnection({ host: hostname, port: Number(port) });
      open.add(upstream);
      client.pipe(upstream).pipe(client);
      const end = () => {
        client.destroy();
        upstream.destroy();
        open.delete(client);
        open.delete(upstream);
      };
      client.on('close', end).on('error', end);
      upstream.on('close', end).on('error', end);
    };
    client.pause();
    if (held === null) connect();
    else held.push(connect);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${address.port}`,
    requestHeads: heads,
    cut: () => {
      for (const socket of open) socket.destroy();
      open.clear();
    },
    hold: () => {
      held ??= [];
    },
    release: () => {
      const pending = held ?? [];
      held = null;
      for (const connect of pending) connect();
    },
    connections: (count) =>
      heads.length >= count ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ count, resolve })),
    close: async () => {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
