import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUndiciOutboundHttp } from '../src/index.js';
import { startReceiver, type LoopbackReceiver } from './support/loopback-receiver.js';

let receiver: LoopbackReceiver;

beforeAll(async () => {
  receiver = await startReceiver((request, response) => {
    switch (request.url) {
      case '/image.png':
        response.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
        return;
      case '/declared-large':
        response.writeHead(200, { 'content-length': String(10 * 1024 * 1024) });
        response.write(Buffer.alloc(1024));
        return; // never finishes: the client must give up on the declared length alone
      case '/chunked-large':
        response.writeHead(200, { 'content-type': 'application/octet-stream' });
        for (let i = 0; i < 64; i += 1) response.write(Buffer.alloc(1024, i));
        response.end();
        return;
      default:
        response.writeHead(404).end('missing');
    }
  });
});

afterAll(async () => {
  await receiver.close();
});

const http = () => createUndiciOutboundHttp({ requireHttps: false, allowCidrs: ['127.0.0.1/32'], timeoutMs: 2000 });

describe('download', () => {
  it('returns the body and its content type', async () => {
    const result = await http().download({ url: `${receiver.origin}/image.png`, maxBytes: 1024 });
    expect(result).toMatchObject({ kind: 'downloaded', status: 200, contentType: 'image/png' });
    expect(result.kind === 'downloaded' && [...result.body]).toEqual([0x89, 0x50, 0x4e, 0x47]);
  });

  it('gives up at once when the declared length is over the limit', async () => {
    const result = await http().download({ url: `${receiver.origin}/declared-large`, maxBytes: 4096 });
    expect(result).toMatchObject({ kind: 'too_large', maxBytes: 4096 });
    expect(result.durationMs).toBeLessThan(1000);
  });

  it('aborts a body without a length as soon as it passes the limit', async () => {
    const result = await http().download({ url: `${receiver.origin}/chunked-large`, maxBytes: 8 * 1024 });
    expect(result).toMatchObject({ kind: 'too_large', maxBytes: 8 * 1024 });
  });

  it('fails on a non-2xx status', async () => {
    const result = await http().download({ url: `${receiver.origin}/nope`, maxBytes: 1024 });
    expect(result).toMatchObject({ kind: 'http_status', status: 404 });
  });

  it('applies the same address policy', async () => {
    const strict = createUndiciOutboundHttp({ requireHttps: false });
    const before = receiver.connections();
    const result = await strict.download({ url: `${receiver.origin}/image.png`, maxBytes: 1024 });
    expect(result).toMatchObject({ kind: 'unsafe_url', range: 'loopback' });
    expect(receiver.connections()).toBe(before);
  });
});
