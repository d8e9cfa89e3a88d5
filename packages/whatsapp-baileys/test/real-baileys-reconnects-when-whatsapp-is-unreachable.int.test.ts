/*
 * Real Baileys (makeWASocket) against local endpoints through waWebSocketUrl: no WhatsApp server can be
 * reached here, and what matters is that every way of failing to reach it ends in `reconnecting` with
 * growing delays, and that close() leaves nothing running (vitest would hang on a leaked socket or timer).
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { SessionEvent } from '@whatisup/core';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sleep, until } from '@whatisup/test-infra';
import { createBaileysSessionFactory } from '../src/index.js';
import { makeDataDir } from './session-harness.js';

/**
 * Real Baileys runs its own timers and sockets, which fake timers cannot safely replace; a closed session
 * emits nothing, so "nothing after close" can only be watched for a while: longer than the 20 ms first
 * backoff and the 300 ms connect timeout would take to produce an event.
 */
const QUIET_AFTER_CLOSE_MS = 400;

let data: Awaited<ReturnType<typeof makeDataDir>>;
const servers: Server[] = [];
const sockets: Socket[] = [];
beforeEach(async () => {
  data = await makeDataDir();
});
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  await data.cleanup();
});

async function listen(onConnection: (socket: Socket) => void): Promise<number> {
  const server = createServer((socket) => {
    sockets.push(socket);
    onConnection(socket);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

async function closedPort(): Promise<number> {
  const port = await listen(() => undefined);
  await new Promise((resolve) => servers.pop()!.close(resolve));
  return port;
}

async function reconnectsThrice(port: number) {
  const events: SessionEvent[] = [];
  const factory = createBaileysSessionFactory({
    dataDir: data.dir,
    logger: pino({ level: 'silent' }),
    tuning: {
      waWebSocketUrl: `ws://127.0.0.1:${port}/ws/chat`,
      connectTimeoutMs: 300,
      backoff: { initialDelayMs: 20, maxDelayMs: 1_000, jitter: 0 },
    },
  });
  const session = factory.createSession({ instanceId: 'inst_OFFLINE', listener: (event) => events.push(event) });
  await session.connect();
  const reconnecting = () => events.filter((e): e is Extract<SessionEvent, { type: 'reconnecting' }> => e.type === 'reconnecting');
  await until(() => reconnecting().length >= 3, 10_000);
  await session.close();
  const seen = events.length;
  await sleep(QUIET_AFTER_CLOSE_MS);
  expect(events).toHaveLength(seen);
  expect(session.status).toBe('closed');
  return reconnecting();
}

describe('real Baileys with WhatsApp out of reach', () => {
  it('reconnects with growing delays when the port is closed', async () => {
    const attempts = await reconnectsThrice(await closedPort());
    expect(attempts.slice(0, 3).map((e) => e.delayMs)).toEqual([20, 40, 80]);
    expect(attempts[0]!.reason).toBe('timed_out');
  });

  it('reconnects when the listener never answers the handshake', async () => {
    const attempts = await reconnectsThrice(await listen(() => undefined));
    expect(attempts.slice(0, 3).map((e) => e.delayMs)).toEqual([20, 40, 80]);
  });

  it('reconnects when the listener accepts and then drops the connection', async () => {
    const attempts = await reconnectsThrice(await listen((socket) => socket.destroy()));
    expect(attempts.slice(0, 3).map((e) => e.attempt)).toEqual([1, 2, 3]);
  });
});
