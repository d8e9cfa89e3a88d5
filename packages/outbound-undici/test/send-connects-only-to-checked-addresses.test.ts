import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUndiciOutboundHttp } from '../src/index.js';
import { startReceiver, type LoopbackReceiver } from './support/loopback-receiver.js';
import { answering, failing, rebinding } from './support/resolvers.js';

let receiver: LoopbackReceiver;
let other: LoopbackReceiver;

beforeAll(async () => {
  receiver = await startReceiver((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      response.setHeader('X-Echo-Method', request.method ?? '');
      response.setHeader('X-Echo-Host', request.headers.host ?? '');
      response.setHeader('X-Echo-Signature', String(request.headers['x-signature']));
      response.end(`${request.url} ${Buffer.concat(chunks).toString()}`);
    });
  });
  // Same port on another loopback address: where a second lookup would lead.
  other = await startReceiver((_request, response) => response.end('other'), { host: '127.0.0.2', port: receiver.port });
});

afterAll(async () => {
  await receiver.close();
  await other.close();
});

describe('send', () => {
  it('posts to an allowed receiver and returns status, lower-case headers, body and peer address', async () => {
    const resolve = answering('127.0.0.1');
    const http = createUndiciOutboundHttp({ requireHttps: false, allowCidrs: ['127.0.0.1/32'], resolve });
    const result = await http.send({
      method: 'POST',
      url: `http://Receiver.Test.:${receiver.port}/hooks?a=1#fragment`,
      headers: { 'content-type': 'application/json', 'X-Signature': 't=1,v1=abc' },
      body: '{"event":"webhook.test"}',
    });
    expect(result).toMatchObject({
      kind: 'response',
      status: 200,
      address: '127.0.0.1',
      bodyTruncated: false,
      headers: { 'x-echo-method': 'POST', 'x-echo-host': `receiver.test:${receiver.port}`, 'x-echo-signature': 't=1,v1=abc' },
    });
    expect(result.kind === 'response' && Buffer.from(result.body).toString()).toBe('/hooks?a=1 {"event":"webhook.test"}');
  });

  it('refuses at send time a name that rebinds to a private address after the check, without connecting', async () => {
    const resolve = rebinding(['93.184.216.34'], ['127.0.0.1']);
    const http = createUndiciOutboundHttp({ requireHttps: false, resolve });
    const url = `http://rebind.example.com:${receiver.port}/hook`;
    await expect(http.checkUrl(url)).resolves.toMatchObject({ addresses: ['93.184.216.34'] });
    const before = receiver.connections();

    const result = await http.send({ method: 'POST', url, body: '{}' });

    expect(result).toMatchObject({ kind: 'unsafe_url', reason: 'host_not_public' });
    expect(result).not.toHaveProperty('range');
    expect(resolve.calls()).toBe(2);
    expect(receiver.connections()).toBe(before);
  });

  it('connects to the address it checked, never resolving the name a second time', async () => {
    // Approved: 127.0.0.1. Any later lookup would answer 127.0.0.2, where `other` listens on the same port;
    // the system resolver does not know the name at all.
    const resolve = rebinding(['127.0.0.1'], ['127.0.0.2']);
    const allowCidrs = ['127.0.0.1/32', '127.0.0.2/32'];
    const http = createUndiciOutboundHttp({ requireHttps: false, allowCidrs, resolve });

    const result = await http.send({ method: 'GET', url: `http://pinned.example.com:${receiver.port}/first` });

    expect(result).toMatchObject({ kind: 'response', status: 200, address: '127.0.0.1' });
    expect(result.kind === 'response' && Buffer.from(result.body).toString()).toBe('/first ');
    expect(resolve.calls()).toBe(1);
    expect(other.connections()).toBe(0);
  });

  it('reaches an address answered in IPv4-mapped form', async () => {
    const resolve = answering('::ffff:127.0.0.1');
    const http = createUndiciOutboundHttp({ requireHttps: false, allowCidrs: ['127.0.0.1/32'], resolve });
    const result = await http.send({ method: 'GET', url: `http://mapped.example.com:${receiver.port}/mapped` });
    expect(result).toMatchObject({ kind: 'response', status: 200 });
  });

  it('sends to an allowed IP literal without resolving', async () => {
    const http = createUndiciOutboundHttp({ requireHttps: false, allowCidrs: ['127.0.0.1/32'], resolve: failing });
    const result = await http.send({ method: 'GET', url: `${receiver.origin}/literal` });
    expect(result).toMatchObject({ kind: 'response', status: 200, address: '127.0.0.1' });
  });

  it('refuses a private IP literal without connecting', async () => {
    const http = createUndiciOutboundHttp({ requireHttps: false, resolve: failing });
    const before = receiver.connections();
    const result = await http.send({ method: 'POST', url: `${receiver.origin}/`, body: 'x' });
    expect(result).toMatchObject({ kind: 'unsafe_url', reason: 'forbidden_address', range: 'loopback' });
    expect(receiver.connections()).toBe(before);
  });

  it('answers a name that no longer resolves as it answers a private one, so last_error is no DNS oracle', async () => {
    const gone = await createUndiciOutboundHttp({ requireHttps: false, resolve: failing }).send({ method: 'POST', url: 'http://gone.example.com/', body: 'x' });
    const inside = await createUndiciOutboundHttp({ requireHttps: false, resolve: answering('10.0.0.5') }).send({ method: 'POST', url: 'http://gone.example.com/', body: 'x' });
    expect(gone).toMatchObject({ kind: 'unsafe_url', reason: 'host_not_public' });
    expect({ ...inside, durationMs: 0 }).toEqual({ ...gone, durationMs: 0 });
    expect(JSON.stringify(inside)).not.toContain('10.0.0.5');
  });

  it('returns a connect_error when nothing listens', async () => {
    const closed = await startReceiver((_request, response) => response.end());
    await closed.close();
    const http = createUndiciOutboundHttp({ requireHttps: false, allowCidrs: ['127.0.0.1/32'] });
    const result = await http.send({ method: 'POST', url: `${closed.origin}/`, body: 'x' });
    expect(result).toMatchObject({ kind: 'connect_error', message: expect.stringContaining('ECONNREFUSED') });
  });
});

describe('send over IPv6', () => {
  it('reaches an allowed bracketed IPv6 literal', async () => {
    const v6 = await startReceiver((_request, response) => response.end('six'), { host: '::1' });
    try {
      const http = createUndiciOutboundHttp({ requireHttps: false, allowCidrs: ['::1/128'], resolve: failing });
      const result = await http.send({ method: 'GET', url: `${v6.origin}/` });
      expect(result).toMatchObject({ kind: 'response', status: 200, address: '::1' });
    } finally {
      await v6.close();
    }
  });
});
