/*
 * The OutboundHttp port's promises, whatever the transport: URLs are checked (scheme, userinfo and, where
 * the policy says so, non-public addresses) and refused with `unsafe_url`; every outcome of a send is a
 * result, never a throw; bodies are bounded; the deadline holds; redirects are returned, not followed; a
 * download never reads past its byte cap. The address policy's finer cases (rebinding, every special
 * range, IPv6 spellings) belong to the adapter's own tests.
 */
import { describe, expect, it } from 'vitest';
import { isDomainError } from '../../shared/index.js';
import type { OutboundHttp } from '../../shared/index.js';
import type { ReceivedRequest, ServedAnswer } from '../in-memory-outbound-http.js';
import { useContractSubject } from './use-contract-subject.js';

export interface OutboundHttpContractSubject {
  /** The client under test; its policy admits the URLs `serve` hands out. */
  readonly http: OutboundHttp;
  /** Serves `answer` at a fresh URL and returns it. */
  serve(answer: ServedAnswer): Promise<string>;
  /** Requests that reached `url`, oldest first. */
  received(url: string): readonly ReceivedRequest[];
  /** Whether the policy refuses private (RFC 1918) and link-local addresses, as production's does. */
  readonly refusesPrivateAddresses: boolean;
  readonly cleanup?: (() => Promise<void>) | undefined;
}

export type OutboundHttpContractSetup = () => Promise<OutboundHttpContractSubject>;

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

async function refusal(promise: Promise<unknown>): Promise<{ code: string; reason: unknown }> {
  const error = await promise.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  if (!isDomainError(error)) throw new Error(`expected a DomainError, got ${String(error)}`);
  return { code: error.code, reason: error.details['reason'] };
}

/** The behaviour every `OutboundHttp` must have. */
export function describeOutboundHttpContract(name: string, setup: OutboundHttpContractSetup): void {
  describe(`OutboundHttp contract: ${name}`, () => {
    const subject = useContractSubject(setup);
    const http = () => subject().http;

    describe('checkUrl', () => {
      it('accepts a served URL and returns it normalised with the addresses it checked', async () => {
        const url = await subject().serve({ status: 200 });
        const checked = await http().checkUrl(url);
        expect(checked.url).toBe(new URL(url).href);
        expect(checked.hostname).toBe(new URL(url).hostname.replace(/^\[|\]$/g, ''));
        expect(checked.addresses.length).toBeGreaterThan(0);
      });

      it.each([
        ['ftp://files.example.com/a', 'unsupported_scheme'],
        ['file:///etc/passwd', 'unsupported_scheme'],
        ['javascript:alert(1)', 'unsupported_scheme'],
        ['not a url', 'invalid_url'],
        ['/relative/path', 'invalid_url'],
      ])('refuses %s with unsafe_url (%s)', async (url, reason) => {
        expect(await refusal(http().checkUrl(url))).toEqual({ code: 'unsafe_url', reason });
      });

      it('refuses a URL carrying a user name or password with unsafe_url', async () => {
        const served = new URL(await subject().serve({ status: 200 }));
        served.username = 'user';
        served.password = 'secret';
        expect(await refusal(http().checkUrl(served.href))).toEqual({ code: 'unsafe_url', reason: 'userinfo_present' });
      });

      it('refuses private and link-local addresses with unsafe_url when its policy does', async ({ skip }) => {
        if (!subject().refusesPrivateAddresses) skip('this policy admits private addresses');
        for (const url of ['http://10.1.2.3/hook', 'http://192.168.1.1/', 'http://169.254.169.254/latest/meta-data/']) {
          expect(await refusal(http().checkUrl(url))).toEqual({ code: 'unsafe_url', reason: 'forbidden_address' });
        }
      });
    });

    describe('send', () => {
      it('delivers method, headers and body, and returns status, lower-case headers and the body', async () => {
        const url = await subject().serve({ status: 201, headers: { 'X-Answer': 'yes', 'Content-Type': 'text/plain' }, body: 'created' });
        const result = await http().send({
          method: 'POST',
          url,
          headers: { 'content-type': 'application/json', 'x-signature': 'v1=abc' },
          body: '{"a":1}',
          timeoutMs: 5_000,
        });
        expect(result).toMatchObject({ kind: 'response', status: 201, bodyTruncated: false });
        if (result.kind !== 'response') return;
        expect(result.headers).toMatchObject({ 'x-answer': 'yes', 'content-type': 'text/plain' });
        expect(text(result.body)).toBe('created');
        expect(result.address).not.toBe('');
        expect(result.durationMs).toBeGreaterThanOrEqual(0);
        const [received] = subject().received(url);
        expect(received).toMatchObject({ method: 'POST', headers: { 'x-signature': 'v1=abc' } });
        expect(text(received!.body)).toBe('{"a":1}');
      });

      it('returns an error status as a response, not a failure', async () => {
        const url = await subject().serve({ status: 503, body: 'busy' });
        expect(await http().send({ method: 'POST', url, body: '{}', timeoutMs: 5_000 })).toMatchObject({ kind: 'response', status: 503 });
      });

      it('reads at most maxResponseBytes of the body and says it truncated', async () => {
        const url = await subject().serve({ status: 200, body: 'x'.repeat(5_000) });
        const result = await http().send({ method: 'GET', url, maxResponseBytes: 10, timeoutMs: 5_000 });
        expect(result).toMatchObject({ kind: 'response', status: 200, bodyTruncated: true });
        expect(result.kind === 'response' && text(result.body)).toBe('x'.repeat(10));
      });

      it('does not call a body of exactly maxResponseBytes truncated', async () => {
        const url = await subject().serve({ status: 200, body: 'y'.repeat(64) });
        const result = await http().send({ method: 'GET', url, maxResponseBytes: 64, timeoutMs: 5_000 });
        expect(result).toMatchObject({ kind: 'response', bodyTruncated: false });
        expect(result.kind === 'response' && result.body.byteLength).toBe(64);
      });

      it('returns a timeout result, not a throw, when the server never answers within the deadline', async () => {
        const url = await subject().serve({ hang: true });
        const result = await http().send({ method: 'POST', url, body: '{}', timeoutMs: 150 });
        expect(result).toMatchObject({ kind: 'timeout' });
        expect(result.durationMs).toBeGreaterThanOrEqual(100);
        expect(result.durationMs).toBeLessThan(5_000);
      });

      it('returns a redirect as it is and never follows it', async () => {
        const target = await subject().serve({ status: 200, body: 'followed' });
        const url = await subject().serve({ status: 302, headers: { location: target } });
        const result = await http().send({ method: 'POST', url, body: '{}', timeoutMs: 5_000 });
        expect(result).toMatchObject({ kind: 'response', status: 302 });
        expect(result.kind === 'response' && result.headers['location']).toBe(target);
        expect(subject().received(target)).toEqual([]);
      });

      it('returns unsafe_url as a result for a refused URL, and sends nothing', async () => {
        const result = await http().send({ method: 'POST', url: 'ftp://files.example.com/', body: '{}', timeoutMs: 5_000 });
        expect(result).toMatchObject({ kind: 'unsafe_url', reason: 'unsupported_scheme' });
        if (!subject().refusesPrivateAddresses) return;
        expect(await http().send({ method: 'POST', url: 'http://169.254.169.254/', body: '{}', timeoutMs: 5_000 })).toMatchObject({
          kind: 'unsafe_url',
          reason: 'forbidden_address',
        });
      });
    });

    describe('download', () => {
      it('returns the whole body with its content type', async () => {
        const body = Uint8Array.from([0x89, 0x50, 0x4e, 0x47]);
        const url = await subject().serve({ status: 200, headers: { 'content-type': 'image/png' }, body });
        const result = await http().download({ url, maxBytes: 1_024, timeoutMs: 5_000 });
        expect(result).toMatchObject({ kind: 'downloaded', status: 200, contentType: 'image/png' });
        expect(result.kind === 'downloaded' && [...result.body]).toEqual([...body]);
      });

      it('accepts a body of exactly maxBytes and refuses one byte more as too_large', async () => {
        const exact = await subject().serve({ status: 200, body: 'z'.repeat(100) });
        expect(await http().download({ url: exact, maxBytes: 100, timeoutMs: 5_000 })).toMatchObject({ kind: 'downloaded' });
        const over = await subject().serve({ status: 200, body: 'z'.repeat(101) });
        expect(await http().download({ url: over, maxBytes: 100, timeoutMs: 5_000 })).toMatchObject({ kind: 'too_large', maxBytes: 100 });
      });

      it('fails a non-2xx status, a redirect included, with http_status', async () => {
        const missing = await subject().serve({ status: 404, body: 'missing' });
        expect(await http().download({ url: missing, maxBytes: 1_024, timeoutMs: 5_000 })).toMatchObject({ kind: 'http_status', status: 404 });
        const target = await subject().serve({ status: 200, body: 'followed' });
        const moved = await subject().serve({ status: 301, headers: { location: target } });
        expect(await http().download({ url: moved, maxBytes: 1_024, timeoutMs: 5_000 })).toMatchObject({ kind: 'http_status', status: 301 });
        expect(subject().received(target)).toEqual([]);
      });

      it('returns a timeout result when the server never answers', async () => {
        const url = await subject().serve({ hang: true });
        expect(await http().download({ url, maxBytes: 1_024, timeoutMs: 150 })).toMatchObject({ kind: 'timeout' });
      });

      it('returns unsafe_url as a result for a refused URL', async () => {
        expect(await http().download({ url: 'file:///etc/passwd', maxBytes: 1_024 })).toMatchObject({
          kind: 'unsafe_url',
          reason: 'unsupported_scheme',
        });
      });
    });
  });
}
