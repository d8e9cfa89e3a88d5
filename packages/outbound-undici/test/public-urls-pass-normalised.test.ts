import { isDomainError } from '@whatisup/core';
import { describe, expect, it } from 'vitest';
import { createUndiciOutboundHttp, type Resolver } from '../src/index.js';
import { answering, failing } from './support/resolvers.js';

function recording(addresses: string[]): Resolver & { names: string[] } {
  const names: string[] = [];
  const resolve = async (name: string): Promise<readonly string[]> => {
    names.push(name);
    return addresses;
  };
  return Object.assign(resolve, { names });
}

describe('checkUrl accepts public URLs and normalises them', () => {
  it('returns the normalised URL, bare hostname and every resolved address', async () => {
    const resolve = recording(['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946']);
    const http = createUndiciOutboundHttp({ requireHttps: false, resolve });
    const checked = await http.checkUrl('HTTPS://Hooks.Example.COM./in?x=1#frag');
    expect(checked).toEqual({
      url: 'https://hooks.example.com/in?x=1#frag',
      hostname: 'hooks.example.com',
      addresses: ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'],
    });
    expect(resolve.names).toEqual(['hooks.example.com']);
  });

  it('resolves internationalised names in their punycode form', async () => {
    const resolve = recording(['93.184.216.34']);
    const http = createUndiciOutboundHttp({ requireHttps: false, resolve });
    const checked = await http.checkUrl('http://bücher.example/');
    expect(checked.hostname).toBe('xn--bcher-kva.example');
    expect(resolve.names).toEqual(['xn--bcher-kva.example']);
  });

  it('accepts public IP literals without resolving them, including IPv4-mapped ones', async () => {
    const http = createUndiciOutboundHttp({ requireHttps: false, resolve: failing });
    await expect(http.checkUrl('http://8.8.8.8:8443/')).resolves.toMatchObject({ addresses: ['8.8.8.8'] });
    await expect(http.checkUrl('http://134744072/')).resolves.toMatchObject({ url: 'http://8.8.8.8/' });
    await expect(http.checkUrl('http://[2606:4700:4700::1111]/')).resolves.toMatchObject({
      hostname: '2606:4700:4700::1111',
    });
    await expect(http.checkUrl('http://[::ffff:8.8.8.8]/')).resolves.toMatchObject({ hostname: '::ffff:808:808' });
  });

  it('refuses plain http when https is required, and accepts https', async () => {
    const http = createUndiciOutboundHttp({ requireHttps: true, resolve: answering('93.184.216.34') });
    const error = await http.checkUrl('http://hooks.example.com/').catch((thrown: unknown) => thrown);
    expect(isDomainError(error, 'unsafe_url') && error.details).toEqual({ reason: 'https_required' });
    await expect(http.checkUrl('https://hooks.example.com/')).resolves.toMatchObject({ hostname: 'hooks.example.com' });
  });
});
