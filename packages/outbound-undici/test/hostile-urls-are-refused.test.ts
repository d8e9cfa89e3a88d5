import { isDomainError, type ForbiddenAddressRange, type UnsafeUrlReason } from '@whatisup/core';
import { describe, expect, it } from 'vitest';
import { createUndiciOutboundHttp, type Resolver } from '../src/index.js';
import { answering, failing } from './support/resolvers.js';

type Case = readonly [url: string, resolver: Resolver, reason: UnsafeUrlReason, range?: ForbiddenAddressRange];

// IP literals skip DNS: the failing resolver proves that no lookup happens (it would say "host_not_public").
const literals: Case[] = [
  ['http://127.0.0.1/', failing, 'forbidden_address', 'loopback'],
  ['http://2130706433/', failing, 'forbidden_address', 'loopback'],
  ['http://0x7f000001/', failing, 'forbidden_address', 'loopback'],
  ['http://0x7f.1/', failing, 'forbidden_address', 'loopback'],
  ['http://0177.0.0.1/', failing, 'forbidden_address', 'loopback'],
  ['http://127.1/', failing, 'forbidden_address', 'loopback'],
  ['http://127.0.0.1./', failing, 'forbidden_address', 'loopback'],
  ['http://１２７.０.０.１/', failing, 'forbidden_address', 'loopback'],
  ['http://127.255.255.254:8080/x', failing, 'forbidden_address', 'loopback'],
  ['http://0/', failing, 'forbidden_address', 'unspecified'],
  ['http://0.0.0.0:3000/', failing, 'forbidden_address', 'unspecified'],
  ['http://0.1.2.3/', failing, 'forbidden_address', 'this_network'],
  ['http://10.0.0.1/', failing, 'forbidden_address', 'private'],
  ['http://0x0a.0.0.1/', failing, 'forbidden_address', 'private'],
  ['http://172.16.5.4/', failing, 'forbidden_address', 'private'],
  ['http://172.31.255.255/', failing, 'forbidden_address', 'private'],
  ['http://192.168.1.1/', failing, 'forbidden_address', 'private'],
  ['http://100.64.0.1/', failing, 'forbidden_address', 'cgnat'],
  ['http://100.127.255.254/', failing, 'forbidden_address', 'cgnat'],
  ['http://169.254.169.254/latest/meta-data/', failing, 'forbidden_address', 'cloud_metadata'],
  ['http://0xa9fea9fe/', failing, 'forbidden_address', 'cloud_metadata'],
  ['http://169.254.1.1/', failing, 'forbidden_address', 'link_local'],
  ['http://192.0.0.8/', failing, 'forbidden_address', 'ietf_protocol'],
  ['http://192.0.2.10/', failing, 'forbidden_address', 'documentation'],
  ['http://198.51.100.7/', failing, 'forbidden_address', 'documentation'],
  ['http://203.0.113.99/', failing, 'forbidden_address', 'documentation'],
  ['http://198.18.0.1/', failing, 'forbidden_address', 'benchmarking'],
  ['http://198.19.255.1/', failing, 'forbidden_address', 'benchmarking'],
  ['http://224.0.0.1/', failing, 'forbidden_address', 'multicast'],
  ['http://239.255.255.250/', failing, 'forbidden_address', 'multicast'],
  ['http://255.255.255.255/', failing, 'forbidden_address', 'broadcast'],
  ['http://240.0.0.1/', failing, 'forbidden_address', 'reserved'],
  ['http://[::1]/', failing, 'forbidden_address', 'loopback'],
  ['http://[0:0:0:0:0:0:0:1]:8080/', failing, 'forbidden_address', 'loopback'],
  ['http://[::]/', failing, 'forbidden_address', 'unspecified'],
  ['http://[::ffff:127.0.0.1]/', failing, 'forbidden_address', 'loopback'],
  ['http://[::ffff:7f00:1]/', failing, 'forbidden_address', 'loopback'],
  ['http://[0:0:0:0:0:ffff:10.0.0.1]/', failing, 'forbidden_address', 'private'],
  ['http://[::ffff:169.254.169.254]/', failing, 'forbidden_address', 'cloud_metadata'],
  ['http://[::127.0.0.1]/', failing, 'forbidden_address', 'ipv4_compatible'],
  ['http://[::8.8.8.8]/', failing, 'forbidden_address', 'ipv4_compatible'],
  ['http://[fe80::1]/', failing, 'forbidden_address', 'link_local'],
  ['http://[febf:ffff::1]/', failing, 'forbidden_address', 'link_local'],
  ['http://[fc00::1]/', failing, 'forbidden_address', 'unique_local'],
  ['http://[fd00:ec2::254]/', failing, 'forbidden_address', 'cloud_metadata'],
  ['http://[fec0::1]/', failing, 'forbidden_address', 'site_local'],
  ['http://[ff02::1]/', failing, 'forbidden_address', 'multicast'],
  ['http://[64:ff9b::7f00:1]/', failing, 'forbidden_address', 'nat64'],
  ['http://[64:ff9b::a9fe:a9fe]/', failing, 'forbidden_address', 'cloud_metadata'],
  ['http://[64:ff9b:1::1]/', failing, 'forbidden_address', 'nat64'],
  ['http://[2002:7f00:1::]/', failing, 'forbidden_address', '6to4'],
  ['http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/', failing, 'forbidden_address', 'teredo'],
  ['http://[2001:db8::1]/', failing, 'forbidden_address', 'documentation'],
  ['http://[3fff::1]/', failing, 'forbidden_address', 'documentation'],
  ['http://[2001:2::1]/', failing, 'forbidden_address', 'benchmarking'],
  ['http://[100::1]/', failing, 'forbidden_address', 'discard_only'],
  ['http://[2001:10::1]/', failing, 'forbidden_address', 'orchid'],
  ['http://[::ffff:0:7f00:1]/', failing, 'forbidden_address', 'not_global_unicast'],
  ['http://[4000::1]/', failing, 'forbidden_address', 'not_global_unicast'],
];

// A name's answer is one for all of these (host_not_public, no range); the range goes to the server log only.
const resolved: Case[] = [
  ['http://internal.example.com/', answering('10.1.2.3'), 'host_not_public', 'private'],
  ['http://mixed.example.com/', answering('93.184.216.34', '127.0.0.1'), 'host_not_public', 'loopback'],
  ['http://mixed6.example.com/', answering('2606:4700::1', '::1'), 'host_not_public', 'loopback'],
  ['http://metadata.example.com/', answering('169.254.169.254'), 'host_not_public', 'cloud_metadata'],
  ['http://mapped.example.com/', answering('::ffff:169.254.169.254'), 'host_not_public', 'cloud_metadata'],
  ['http://alibaba.example.com/', answering('100.100.100.200'), 'host_not_public', 'cloud_metadata'],
  ['http://azure.example.com/', answering('168.63.129.16'), 'host_not_public', 'cloud_metadata'],
  ['http://ecs.example.com/', answering('169.254.170.2'), 'host_not_public', 'cloud_metadata'],
  ['http://zone.example.com/', answering('fe80::1%eth0'), 'host_not_public', 'link_local'],
  ['http://ula.example.com/', answering('fd12:3456::1'), 'host_not_public', 'unique_local'],
  ['http://nat64.example.com/', answering('64:ff9b::a00:1'), 'host_not_public', 'nat64'],
  ['http://localhost/', answering('::1', '127.0.0.1'), 'host_not_public', 'loopback'],
  ['http://junk.example.com/', answering('not-an-address'), 'host_not_public'],
  ['http://empty.example.com/', answering(), 'host_not_public'],
  ['http://does-not-exist.example/', failing, 'host_not_public'],
];

const syntax: Case[] = [
  ['ftp://example.com/', failing, 'unsupported_scheme'],
  ['file:///etc/passwd', failing, 'unsupported_scheme'],
  ['gopher://127.0.0.1:25/', failing, 'unsupported_scheme'],
  ['ws://example.com/', failing, 'unsupported_scheme'],
  ['javascript:alert(1)', failing, 'unsupported_scheme'],
  ['http://user:secret@example.com/', failing, 'userinfo_present'],
  ['http://user@example.com/', failing, 'userinfo_present'],
  ['http://:secret@example.com/', failing, 'userinfo_present'],
  ['not a url', failing, 'invalid_url'],
  ['/relative/path', failing, 'invalid_url'],
  ['http://', failing, 'invalid_url'],
  ['http://1.2.3.4.5/', failing, 'invalid_url'],
  ['http://256.0.0.1/', failing, 'invalid_url'],
  ['http://exa mple.com/', failing, 'invalid_url'],
  ['http://[::1/', failing, 'invalid_url'],
];

describe('checkUrl refuses hostile URLs with the reason', () => {
  const answers = [...literals, ...syntax].map(([url, resolve, reason, range]) => ({ url, resolve, reason, range }));
  const cases = [...answers, ...resolved.map(([url, resolve, reason]) => ({ url, resolve, reason, range: undefined }))];
  it.each(cases)('$url', async ({ url, resolve, reason, range }) => {
    const http = createUndiciOutboundHttp({ requireHttps: false, resolve });
    const error = await http.checkUrl(url).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(isDomainError(error, 'unsafe_url'), `expected unsafe_url, got ${String(error)}`).toBe(true);
    expect(isDomainError(error) && error.details).toMatchObject(range ? { reason, range } : { reason });
    if (range === undefined && isDomainError(error)) expect(error.details).not.toHaveProperty('range');
  });

  it('has at least 40 hostile cases', () => {
    expect(literals.length + resolved.length + syntax.length).toBeGreaterThanOrEqual(40);
  });

  it('names the range with the right article ("an unspecified address", "a loopback address")', async () => {
    const http = createUndiciOutboundHttp({ requireHttps: false, resolve: failing });
    const messageOf = (url: string) => http.checkUrl(url).then(() => '', (thrown: Error) => thrown.message);
    expect(await messageOf('http://0.0.0.0/')).toContain("The URL's host is an unspecified address");
    expect(await messageOf('http://127.0.0.1/')).toContain("The URL's host is a loopback address");
  });

  it('never repeats the URL (which may carry a token) in the refusal message', async () => {
    const http = createUndiciOutboundHttp({ requireHttps: false, resolve: answering('10.0.0.1') });
    const error = await http.checkUrl('http://hooks.example.com/in?token=s3cr3t').catch((thrown: unknown) => thrown);
    expect(String((error as Error).message)).not.toContain('s3cr3t');
    expect((error as Error).message).not.toContain('10.0.0.1');
  });

  const named = resolved.map(([url, resolve, , range]) => ({ url, resolve, range }));
  it.each(named)('logs, and only logs, what $url resolved to', async ({ url, resolve, range }) => {
    const logged: unknown[] = [];
    const http = createUndiciOutboundHttp({ requireHttps: false, resolve, onRefusal: (details) => logged.push(details) });
    await expect(http.checkUrl(url)).rejects.toMatchObject({ details: { reason: 'host_not_public' } });
    expect(logged).toEqual([expect.objectContaining({ hostname: new URL(url).hostname, ...(range && { range }) })]);
  });
});
