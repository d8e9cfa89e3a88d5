import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUndiciOutboundHttp } from '../src/index.js';
import { startReceiver, type LoopbackReceiver } from './support/loopback-receiver.js';
import { answering } from './support/resolvers.js';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const ca = fixture('ca.crt');

let receiver: LoopbackReceiver;

beforeAll(async () => {
  const tls = { cert: fixture('receiver.crt'), key: fixture('receiver.key') };
  receiver = await startReceiver((request, response) => response.end(`tls ${request.headers.host}`), { tls });
});

afterAll(async () => {
  await receiver.close();
});

const http = (options: { trust?: boolean; requireHttps?: boolean } = {}) =>
  createUndiciOutboundHttp({
    requireHttps: options.requireHttps ?? true,
    allowCidrs: ['127.0.0.1/32'],
    resolve: answering('127.0.0.1'),
    ...(options.trust === false ? {} : { tls: { ca } }),
  });

describe('https', () => {
  it('reaches a receiver whose certificate names the URL host, over the pinned address', async () => {
    const result = await http().send({ method: 'POST', url: `https://hooks.example.test:${receiver.port}/`, body: '{}' });
    expect(result).toMatchObject({ kind: 'response', status: 200, address: '127.0.0.1' });
    expect(result.kind === 'response' && Buffer.from(result.body).toString()).toBe(`tls hooks.example.test:${receiver.port}`);
  });

  it('verifies the hostname: a certificate for another name is a tls_error', async () => {
    const result = await http().send({ method: 'POST', url: `https://other.example.test:${receiver.port}/`, body: '{}' });
    expect(result).toMatchObject({ kind: 'tls_error', message: expect.stringContaining('ERR_TLS_CERT_ALTNAME_INVALID') });
  });

  it('verifies the chain: an untrusted issuer is a tls_error', async () => {
    const result = await http({ trust: false }).send({ method: 'GET', url: `https://hooks.example.test:${receiver.port}/` });
    expect(result).toMatchObject({ kind: 'tls_error' });
  });

  it('refuses plain http in https-only mode without connecting', async () => {
    const before = receiver.connections();
    const result = await http().send({ method: 'POST', url: `http://hooks.example.test:${receiver.port}/`, body: '{}' });
    expect(result).toMatchObject({ kind: 'unsafe_url', reason: 'https_required' });
    expect(receiver.connections()).toBe(before);
  });
});
