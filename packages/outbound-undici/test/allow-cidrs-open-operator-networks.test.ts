import { isDomainError } from '@whatisup/core';
import { describe, expect, it } from 'vitest';
import { createUndiciOutboundHttp, parseAllowCidrs } from '../src/index.js';
import { answering, failing } from './support/resolvers.js';

describe('parseAllowCidrs', () => {
  it('reads a comma- or space-separated list, bare addresses as single-address ranges', () => {
    expect(parseAllowCidrs(' 10.0.0.0/8, 172.18.0.5  fd12:3456::/48,')).toEqual([
      '10.0.0.0/8',
      '172.18.0.5/32',
      'fd12:3456::/48',
    ]);
  });

  it('treats an empty value as an empty list', () => {
    expect(parseAllowCidrs('')).toEqual([]);
    expect(parseAllowCidrs('  ')).toEqual([]);
  });

  it.each([
    ['10.0.0.0/33', '10.0.0.0/33'],
    ['10.0.0.0/8,banana', 'banana'],
    ['10.0.0.256/32', '10.0.0.256/32'],
    ['10.0.0.0/', '10.0.0.0/'],
    ['10.0.0.0/8/8', '10.0.0.0/8/8'],
    ['fd00::/129', 'fd00::/129'],
    ['[::1]/128', '[::1]/128'],
    ['10.0.0.0/-1', '10.0.0.0/-1'],
    ['0x0a.0.0.0/8', '0x0a.0.0.0/8'],
  ])('refuses %s, naming the bad entry', (value, bad) => {
    expect(() => parseAllowCidrs(value)).toThrow(`Invalid CIDR "${bad}"`);
  });

  it('refuses a range with bits set past its prefix', () => {
    expect(() => parseAllowCidrs('10.1.2.3/8')).toThrow(/"10.1.2.3\/8".*network address/);
  });
});

describe('an operator allowlist', () => {
  it('allows addresses inside it and still refuses those outside', async () => {
    const http = createUndiciOutboundHttp({ requireHttps: false, allowCidrs: ['10.20.0.0/16'], resolve: failing });
    await expect(http.checkUrl('http://10.20.30.40/')).resolves.toMatchObject({ addresses: ['10.20.30.40'] });
    const error = await http.checkUrl('http://10.21.0.1/').catch((thrown: unknown) => thrown);
    expect(isDomainError(error, 'unsafe_url') && error.details['range']).toBe('private');
  });

  it('covers the IPv4-mapped form of an allowed IPv4 address', async () => {
    const resolve = answering('::ffff:127.0.0.1');
    const http = createUndiciOutboundHttp({ requireHttps: false, allowCidrs: ['127.0.0.1/32'], resolve });
    await expect(http.checkUrl('http://receiver.internal/')).resolves.toMatchObject({ hostname: 'receiver.internal' });
  });

  it('requires every resolved address to be allowed', async () => {
    const resolve = answering('127.0.0.1', '10.0.0.1');
    const http = createUndiciOutboundHttp({ requireHttps: false, allowCidrs: ['127.0.0.1/32'], resolve });
    await expect(http.checkUrl('http://receiver.internal/')).rejects.toMatchObject({ details: { reason: 'host_not_public' } });
  });

  it('can never open cloud metadata, unspecified, broadcast or multicast addresses', async () => {
    const allowCidrs = ['0.0.0.0/0', '::/0'];
    const http = createUndiciOutboundHttp({ requireHttps: false, allowCidrs, resolve: failing });
    for (const [url, range] of [
      ['http://169.254.169.254/', 'cloud_metadata'],
      ['http://[fd00:ec2::254]/', 'cloud_metadata'],
      ['http://0.0.0.0/', 'unspecified'],
      ['http://255.255.255.255/', 'broadcast'],
      ['http://224.0.0.1/', 'multicast'],
    ] as const) {
      await expect(http.checkUrl(url)).rejects.toMatchObject({ code: 'unsafe_url', details: { range } });
    }
    await expect(http.checkUrl('http://192.168.1.1/')).resolves.toMatchObject({ addresses: ['192.168.1.1'] });
  });

  it.each([
    '169.254.169.254',
    '169.254.170.2',
    '169.254.170.23',
    '[::ffff:169.254.170.2]',
    '[::ffff:a9fe:aa17]',
    '[fd00:ec2::254]',
    '[fd00:ec2::23]',
    '100.100.100.200',
    '[::ffff:100.100.100.200]',
    '[64:ff9b::a9fe:aa02]',
  ])('keeps the metadata address %s closed when the ranges around it are allowed', async (host) => {
    const allowCidrs = ['169.254.0.0/16', '100.64.0.0/10', 'fd00::/8', '64:ff9b::/96', '::ffff:0:0/96'];
    const http = createUndiciOutboundHttp({ requireHttps: false, allowCidrs, resolve: failing });
    await expect(http.checkUrl(`http://${host}/`)).rejects.toMatchObject({ details: { range: 'cloud_metadata' } });
    await expect(http.checkUrl('http://169.254.1.1/')).resolves.toMatchObject({ addresses: ['169.254.1.1'] });
  });

  it('is validated when the client is created', () => {
    expect(() => createUndiciOutboundHttp({ requireHttps: false, allowCidrs: ['10.0.0.0/8', 'nope'] })).toThrow(
      'Invalid CIDR "nope"',
    );
  });

  it('allows nothing by default', async () => {
    const http = createUndiciOutboundHttp({ requireHttps: false, resolve: answering('127.0.0.1') });
    await expect(http.checkUrl('http://receiver.internal/')).rejects.toMatchObject({ details: { reason: 'host_not_public' } });
  });
});
