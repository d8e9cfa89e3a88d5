import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUndiciOutboundHttp } from '../src/index.js';
import { startReceiver, type LoopbackReceiver } from './support/loopback-receiver.js';
import { answering, rebinding } from './support/resolvers.js';

let receiver: LoopbackReceiver;
let other: LoopbackReceiver;

beforeAll(async () => {
  receiver = await startReceiver((request, response) => {
    request.resume();
    request.on('end', () => response.end(request.url === '/big' ? Buffer.alloc(4096, 'b') : 'ok'));
  });
  // Same port on another loopback address: where the name leads once it resolves elsewhere.
  other = await startReceiver((request, response) => {
    request.resume();
    request.on('end', () => response.end('other'));
  }, { host: '127.0.0.2', port: receiver.port });
});

afterAll(async () => {
  await receiver.close();
  await other.close();
});

const post = (url: string) => ({ method: 'POST' as const, url, body: '{}' });
const text = (result: { kind: string; body?: Uint8Array }) => (result.kind === 'response' ? Buffer.from(result.body!).toString() : result.kind);

describe('kept-alive connections', () => {
  it('sends one request after another to the same origin over one connection, each with its peer address', async () => {
    const http = createUndiciOutboundHttp({ requireHttps: false, allowCidrs: ['127.0.0.1/32'] });
    const before = receiver.connections();
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await http.send(post(`${receiver.origin}/hook`)));
    expect(results.map((result) => result.kind === 'response' && result.address)).toEqual(Array(5).fill('127.0.0.1'));
    expect(receiver.connections() - before).toBe(1);
  });

  it('opens a connection per request in flight, and reuses them afterwards', async () => {
    const http = createUndiciOutboundHttp({ requireHttps: false, allowCidrs: ['127.0.0.1/32'] });
    const before = receiver.connections();
    await Promise.all(Array.from({ length: 3 }, () => http.send(post(`${receiver.origin}/hook`))));
    await Promise.all(Array.from({ length: 3 }, () => http.send(post(`${receiver.origin}/hook`))));
    expect(receiver.connections() - before).toBe(3);
  });

  it('does not reuse a connection whose response was abandoned at the read bound', async () => {
    const http = createUndiciOutboundHttp({ requireHttps: false, allowCidrs: ['127.0.0.1/32'], maxResponseBytes: 16 });
    const before = receiver.connections();
    expect(await http.send(post(`${receiver.origin}/big`))).toMatchObject({ kind: 'response', bodyTruncated: true });
    expect(await http.send(post(`${receiver.origin}/hook`))).toMatchObject({ kind: 'response', bodyTruncated: false });
    expect(receiver.connections() - before).toBe(2);
  });

  it('follows a name that now resolves to another allowed address to a new connection, not the kept one', async () => {
    const resolve = rebinding(['127.0.0.1'], ['127.0.0.2']);
    const http = createUndiciOutboundHttp({ requireHttps: false, allowCidrs: ['127.0.0.1/32', '127.0.0.2/32'], resolve });
    const url = `http://hooks.test:${receiver.port}/hook`;
    const first = await http.send(post(url));
    const second = await http.send(post(url));
    expect(first).toMatchObject({ kind: 'response', address: '127.0.0.1' });
    expect(text(first)).toBe('ok');
    expect(second).toMatchObject({ kind: 'response', address: '127.0.0.2' });
    expect(text(second)).toBe('other');
  });

  it('refuses a name that now resolves to a forbidden address, even with a connection to its old address open', async () => {
    const resolve = rebinding(['127.0.0.1'], ['10.0.0.1']);
    const http = createUndiciOutboundHttp({ requireHttps: false, allowCidrs: ['127.0.0.1/32'], resolve });
    const url = `http://hooks.test:${receiver.port}/hook`;
    expect(await http.send(post(url))).toMatchObject({ kind: 'response' });
    const requests = receiver.requests();
    expect(await http.send(post(url))).toMatchObject({ kind: 'unsafe_url' });
    expect(receiver.requests()).toBe(requests);
  });

  it('closes an idle connection after the idle time, and after each exchange with an idle time of 0', async () => {
    const http = createUndiciOutboundHttp({ requireHttps: false, resolve: answering('127.0.0.1'), allowCidrs: ['127.0.0.1/32'], idleConnectionMs: 50 });
    const closing = await startReceiver((request, response) => {
      request.resume();
      request.on('end', () => response.end('ok'));
    });
    try {
      await http.send(post(`${closing.origin}/hook`));
      await closing.allClosed(); // resolves only once our side closed the kept connection
      const none = createUndiciOutboundHttp({ requireHttps: false, allowCidrs: ['127.0.0.1/32'], idleConnectionMs: 0 });
      await none.send(post(`${closing.origin}/hook`));
      await none.send(post(`${closing.origin}/hook`));
      expect(closing.connections()).toBe(3);
      await closing.allClosed();
    } finally {
      await closing.close();
    }
  });
});
