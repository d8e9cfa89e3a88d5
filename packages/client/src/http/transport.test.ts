/*
 * What the transport does with answers a live server rarely gives on demand (503s, lost answers, a hang),
 * driven through an injected fetch.
 */
import { describe, expect, it } from 'vitest';
import { WhatIsUpConnectionError, WhatIsUpError, WhatIsUpTimeoutError } from '../errors/whatisup-error.js';
import { parseRetryAfter } from '../errors/error-from-response.js';
import { createTransport } from './transport.js';

type Step = Response | Error | 'hang';

function scripted(steps: Step[]) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const fetch = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    const step = steps.shift() ?? new Error('no more answers scripted');
    if (step === 'hang') {
      return new Promise<Response>((_, reject) => init.signal?.addEventListener('abort', () => reject(init.signal!.reason)));
    }
    if (step instanceof Error) throw step;
    return step;
  }) as unknown as typeof globalThis.fetch;
  return { fetch, calls };
}

const envelope = (status: number, code: string, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ error: { code, message: `${code}!`, details: { x: 1 } }, request_id: 'req_1' }), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
const ok = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error,
  );
}

describe('the transport', () => {
  it('sends the key, JSON and the query, and leaves out absent query values', async () => {
    const { fetch, calls } = scripted([ok({ a: 1 })]);
    const transport = createTransport({ baseUrl: 'http://api.test/', apiKey: 'wiu_k', fetch });
    await transport.json({ method: 'POST', path: '/v1/x', query: { limit: 5, cursor: undefined, on: true }, body: { n: 1 }, retry: false });
    expect(calls[0]!.url).toBe('http://api.test/v1/x?limit=5&on=true');
    const headers = new Headers(calls[0]!.init.headers);
    expect(headers.get('authorization')).toBe('Bearer wiu_k');
    expect(headers.get('content-type')).toBe('application/json');
    expect(calls[0]!.init.body).toBe('{"n":1}');
  });

  it('retries a repeatable request after Retry-After on 503 and 429, with the same headers', async () => {
    const { fetch, calls } = scripted([
      envelope(503, 'unavailable', { 'retry-after': '0' }),
      envelope(429, 'rate_limited', { 'retry-after': '0' }),
      ok({ done: true }),
    ]);
    const transport = createTransport({ baseUrl: 'http://api.test', fetch });
    const answer = await transport.json({ method: 'POST', path: '/v1/send', headers: { 'idempotency-key': 'k1' }, body: {}, retry: true });
    expect(answer).toEqual({ done: true });
    expect(calls.map((c) => new Headers(c.init.headers).get('idempotency-key'))).toEqual(['k1', 'k1', 'k1']);
  });

  it('never retries a request that is not safe to repeat, nor a 4xx, nor past maxRetries', async () => {
    const lost = scripted([new TypeError('fetch failed'), ok({})]);
    const error = await failure(createTransport({ baseUrl: 'http://api.test', fetch: lost.fetch }).json({ method: 'POST', path: '/v1/instances', body: {}, retry: false }));
    expect(error).toBeInstanceOf(WhatIsUpConnectionError);
    expect(lost.calls).toHaveLength(1);

    const refused = scripted([envelope(404, 'not_found'), ok({})]);
    expect(await failure(createTransport({ baseUrl: 'http://api.test', fetch: refused.fetch }).json({ method: 'GET', path: '/v1/x', retry: true }))).toMatchObject({
      status: 404,
      code: 'not_found',
      message: 'not_found!',
      requestId: 'req_1',
      details: { x: 1 },
    });
    expect(refused.calls).toHaveLength(1);

    const down = scripted([envelope(503, 'unavailable', { 'retry-after': '0' }), envelope(503, 'unavailable', { 'retry-after': '0' })]);
    const transport = createTransport({ baseUrl: 'http://api.test', fetch: down.fetch, maxRetries: 1 });
    expect(await failure(transport.json({ method: 'GET', path: '/v1/x', retry: true }))).toMatchObject({ status: 503, retryAfter: 0 });
    expect(down.calls).toHaveLength(2);
  });

  it('throws a Retry-After longer than a minute to the caller instead of waiting', async () => {
    const { fetch, calls } = scripted([envelope(429, 'rate_limited', { 'retry-after': '120' })]);
    const error = await failure(createTransport({ baseUrl: 'http://api.test', fetch }).json({ method: 'GET', path: '/v1/x', retry: true }));
    expect(error).toMatchObject({ code: 'rate_limited', retryAfter: 120 });
    expect(calls).toHaveLength(1);
  });

  it('reports a hang as a timeout, and a caller’s abort as the abort itself, unretried', async () => {
    const hung = scripted(['hang']);
    const timedOut = await failure(createTransport({ baseUrl: 'http://api.test', fetch: hung.fetch, timeoutMs: 20, maxRetries: 0 }).json({ method: 'GET', path: '/v1/x', retry: true }));
    expect(timedOut).toBeInstanceOf(WhatIsUpTimeoutError);
    expect(timedOut).toMatchObject({ code: 'timeout', status: null });

    const aborted = scripted(['hang', ok({})]);
    const controller = new AbortController();
    const pending = failure(createTransport({ baseUrl: 'http://api.test', fetch: aborted.fetch }).json({ method: 'GET', path: '/v1/x', retry: true, signal: controller.signal }));
    const reason = new Error('user gave up');
    controller.abort(reason);
    expect(await pending).toBe(reason);
    expect(aborted.calls).toHaveLength(1);
  });

  it('turns an error without the envelope, or a success that is not JSON, into unexpected_response', async () => {
    const { fetch } = scripted([new Response('<html>Bad gateway</html>', { status: 502, headers: { 'x-request-id': 'req_proxy' } })]);
    const error = await failure(createTransport({ baseUrl: 'http://api.test', fetch, maxRetries: 0 }).json({ method: 'GET', path: '/v1/x', retry: true }));
    expect(error).toBeInstanceOf(WhatIsUpError);
    expect(error).toMatchObject({ status: 502, code: 'unexpected_response', requestId: 'req_proxy' });

    const { fetch: html } = scripted([new Response('<html>Sign in to the Wi-Fi</html>', { status: 200 })]);
    const unreadable = await failure(createTransport({ baseUrl: 'http://api.test', fetch: html }).json({ method: 'GET', path: '/v1/x', retry: true }));
    expect(unreadable).toMatchObject({ status: 200, code: 'unexpected_response' });
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-05-01T12:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7);
    expect(parseRetryAfter('Fri, 01 May 2026 12:00:30 GMT', now)).toBe(30);
    expect(parseRetryAfter('Fri, 01 May 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });
});
