import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUndiciOutboundHttp } from '../src/index.js';
import { startReceiver, type LoopbackReceiver } from './support/loopback-receiver.js';

let receiver: LoopbackReceiver;
const hanging = new Set<ServerResponse>();

beforeAll(async () => {
  receiver = await startReceiver((request, response) => {
    request.resume();
    switch (request.url) {
      case '/silent': // accepts, reads, never answers
        hanging.add(response);
        return;
      case '/trickle': // answers, then sends the body too slowly to finish
        hanging.add(response);
        response.writeHead(200);
        response.write('first chunk');
        return;
      case '/huge': // a MiB of body
        response.writeHead(200, { 'content-type': 'text/plain' });
        response.end(Buffer.alloc(1024 * 1024, 'x'));
        return;
      default:
        response.end(Buffer.alloc(Number(request.url?.slice(1) ?? 0), 'y'));
    }
  });
});

afterAll(async () => {
  await receiver.close();
});

const http = (options: { timeoutMs?: number; maxResponseBytes?: number } = {}) =>
  createUndiciOutboundHttp({ requireHttps: false, allowCidrs: ['127.0.0.1/32'], ...options });

describe('deadlines', () => {
  it('times out a receiver that never answers, at the configured deadline', async () => {
    const result = await http({ timeoutMs: 200 }).send({ method: 'POST', url: `${receiver.origin}/silent`, body: '{}' });
    expect(result).toMatchObject({ kind: 'timeout' });
    expect(result.durationMs).toBeGreaterThanOrEqual(190);
    expect(result.durationMs).toBeLessThan(2000);
  });

  it('covers the body: a response that trickles past the deadline is a timeout', async () => {
    const result = await http().send({ method: 'POST', url: `${receiver.origin}/trickle`, body: '{}', timeoutMs: 250 });
    expect(result).toMatchObject({ kind: 'timeout' });
  });

  it('covers resolution: a resolver that never answers is a timeout', async () => {
    const resolve = () => new Promise<readonly string[]>(() => undefined);
    const client = createUndiciOutboundHttp({ requireHttps: false, resolve, timeoutMs: 150 });
    const result = await client.send({ method: 'POST', url: 'http://slow-dns.example.com/', body: '{}' });
    expect(result).toMatchObject({ kind: 'timeout' });
  });
});

describe('response bodies', () => {
  it('reads at most 1 KiB by default and then drops the connection', async () => {
    const result = await http().send({ method: 'POST', url: `${receiver.origin}/huge`, body: '{}' });
    expect(result).toMatchObject({ kind: 'response', status: 200, bodyTruncated: true });
    expect(result.kind === 'response' && result.body.byteLength).toBe(1024);
    await receiver.allClosed();
  });

  it('honours a per-request bound', async () => {
    const result = await http().send({ method: 'GET', url: `${receiver.origin}/huge`, maxResponseBytes: 10 });
    expect(result.kind === 'response' && Buffer.from(result.body).toString()).toBe('xxxxxxxxxx');
  });

  it('does not mark a body of exactly the bound as truncated', async () => {
    const result = await http({ maxResponseBytes: 64 }).send({ method: 'GET', url: `${receiver.origin}/64` });
    expect(result).toMatchObject({ kind: 'response', bodyTruncated: false });
    expect(result.kind === 'response' && result.body.byteLength).toBe(64);
  });
});
