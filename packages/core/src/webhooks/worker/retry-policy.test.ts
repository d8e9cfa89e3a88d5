import { describe, expect, it } from 'vitest';
import { createRetryPolicy, DEFAULT_RETRY_AFTER_MIN_MS, type AttemptOutcome, type RetryPolicyOptions } from './retry-policy.js';

const T0 = Date.parse('2026-05-01T12:00:00.000Z');
const clock = { now: () => new Date(T0) };

/** mulberry32: a tiny seeded generator, so jittered times are reproducible. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const policy = (options: RetryPolicyOptions = {}) => createRetryPolicy({ clock, random: seededRandom(7), ...options });
const response = (status: number, headers: Record<string, string> = {}): AttemptOutcome => ({ kind: 'response', status, headers });
const delayOf = (decision: ReturnType<ReturnType<typeof policy>['classifyAttempt']>): number => {
  if (decision.kind !== 'retry') throw new Error(`expected a retry, got ${decision.kind}`);
  return decision.at.getTime() - T0;
};

describe('createRetryPolicy', () => {
  it('retries after each failed attempt on the schedule 10 s, 1 m, 5 m, 30 m, 2 h, then fails', () => {
    const exact = policy({ jitter: 0 });
    expect(exact.maxAttempts).toBe(6);
    expect(exact.firstAttemptAt().getTime()).toBe(T0);
    const delays = [1, 2, 3, 4, 5].map((attempt) => delayOf(exact.classifyAttempt({ attempt, outcome: response(500) })));
    expect(delays).toEqual([10_000, 60_000, 300_000, 1_800_000, 7_200_000]);
    expect(exact.classifyAttempt({ attempt: 6, outcome: response(500) })).toEqual({ kind: 'failed' });
    expect(exact.classifyAttempt({ attempt: 7, outcome: { kind: 'timeout' } })).toEqual({ kind: 'failed' });
  });

  it('keeps every jittered delay within ±20 % of its step and actually spreads them', () => {
    const steps = [10_000, 60_000, 300_000, 1_800_000, 7_200_000];
    for (let seed = 1; seed <= 200; seed++) {
      const jittered = policy({ random: seededRandom(seed) });
      steps.forEach((step, index) => {
        const delay = delayOf(jittered.classifyAttempt({ attempt: index + 1, outcome: response(502) }));
        expect(delay).toBeGreaterThanOrEqual(step * 0.8);
        expect(delay).toBeLessThanOrEqual(step * 1.2);
      });
    }
    const spread = new Set(Array.from({ length: 20 }, (_, seed) => policy({ random: seededRandom(seed) }).delayBeforeAttempt(2)));
    expect(spread.size).toBeGreaterThan(15);
    expect(policy({ random: () => 0 }).delayBeforeAttempt(2)).toBe(8_000);
    expect(policy({ random: () => 0.999_999_999 }).delayBeforeAttempt(2)).toBe(12_000);
  });

  it('never delays the immediate first attempt', () => {
    expect(policy({ random: () => 0.9 }).delayBeforeAttempt(1)).toBe(0);
  });

  it('counts any 2xx as success, even on the last attempt', () => {
    for (const status of [200, 201, 202, 204, 299]) {
      expect(policy().classifyAttempt({ attempt: 6, outcome: response(status) })).toEqual({ kind: 'success' });
    }
  });

  it('disables the endpoint on 410 Gone at any attempt', () => {
    expect(policy().classifyAttempt({ attempt: 1, outcome: response(410) })).toEqual({ kind: 'disable', reason: 'gone' });
    expect(policy().classifyAttempt({ attempt: 6, outcome: response(410) })).toEqual({ kind: 'disable', reason: 'gone' });
  });

  it.each<[string, AttemptOutcome]>([
    ['a redirect (never followed)', response(302, { location: 'http://169.254.169.254/' })],
    ['a 1xx', response(101)],
    ['a 400', response(400)],
    ['a 404', response(404)],
    ['a 500', response(500)],
    ['a 429 without Retry-After', response(429)],
    ['a timeout', { kind: 'timeout' }],
    ['a refused connection', { kind: 'connect_error' }],
    ['a DNS failure', { kind: 'dns_error' }],
    ['a TLS failure', { kind: 'tls_error' }],
    ['a reset connection', { kind: 'network_error' }],
    ['a URL refused at delivery time', { kind: 'unsafe_url' }],
  ])('retries on the schedule after %s', (_label, outcome) => {
    expect(delayOf(policy({ jitter: 0 }).classifyAttempt({ attempt: 2, outcome }))).toBe(60_000);
  });

  it('honours Retry-After in seconds on 429 and 503, without jitter', () => {
    for (const status of [429, 503]) {
      const decision = policy().classifyAttempt({ attempt: 1, outcome: response(status, { 'retry-after': '120' }) });
      expect(delayOf(decision)).toBe(120_000);
    }
  });

  it('honours Retry-After as an HTTP date, whatever the header name case', () => {
    const outcome = response(503, { 'Retry-After': 'Fri, 01 May 2026 12:30:00 GMT' });
    expect(delayOf(policy().classifyAttempt({ attempt: 3, outcome }))).toBe(1_800_000);
  });

  it('clamps Retry-After to its bounds', () => {
    const bounded = policy({ retryAfterMinMs: 5_000, retryAfterMaxMs: 600_000 });
    expect(delayOf(bounded.classifyAttempt({ attempt: 1, outcome: response(429, { 'retry-after': '0' }) }))).toBe(5_000);
    expect(delayOf(bounded.classifyAttempt({ attempt: 1, outcome: response(429, { 'retry-after': '86400' }) }))).toBe(600_000);
    const past = response(503, { 'retry-after': 'Thu, 30 Apr 2026 12:00:00 GMT' });
    expect(delayOf(bounded.classifyAttempt({ attempt: 1, outcome: past }))).toBe(5_000);
    const farDate = response(503, { 'retry-after': 'Sat, 01 May 2027 12:00:00 GMT' });
    expect(delayOf(policy().classifyAttempt({ attempt: 1, outcome: farDate }))).toBe(7_200_000);
  });

  it('ignores Retry-After on other statuses and when it cannot be parsed', () => {
    const exact = policy({ jitter: 0 });
    expect(delayOf(exact.classifyAttempt({ attempt: 1, outcome: response(500, { 'retry-after': '600' }) }))).toBe(10_000);
    expect(delayOf(exact.classifyAttempt({ attempt: 1, outcome: response(429, { 'retry-after': 'later' }) }))).toBe(10_000);
  });

  it('fails after the last attempt even when the receiver asks to retry later', () => {
    expect(policy().classifyAttempt({ attempt: 6, outcome: response(429, { 'retry-after': '5' }) })).toEqual({ kind: 'failed' });
  });

  it('follows a configured schedule', () => {
    const short = policy({ scheduleMs: [0, 1_000], jitter: 0 });
    expect(short.maxAttempts).toBe(2);
    expect(delayOf(short.classifyAttempt({ attempt: 1, outcome: response(500) }))).toBe(1_000);
    expect(short.classifyAttempt({ attempt: 2, outcome: response(500) })).toEqual({ kind: 'failed' });
  });

  it('accepts a schedule of immediate retries and still waits a Retry-After up to the minimum', () => {
    const immediate = policy({ scheduleMs: [0, 0, 0], jitter: 0 });
    expect(delayOf(immediate.classifyAttempt({ attempt: 1, outcome: response(500) }))).toBe(0);
    const asked = response(429, { 'retry-after': '3600' });
    expect(delayOf(immediate.classifyAttempt({ attempt: 1, outcome: asked }))).toBe(DEFAULT_RETRY_AFTER_MIN_MS);
  });

  it('refuses a nonsensical configuration or attempt number', () => {
    expect(() => createRetryPolicy({ scheduleMs: [] })).toThrow(RangeError);
    expect(() => createRetryPolicy({ scheduleMs: [0, -1] })).toThrow(RangeError);
    expect(() => createRetryPolicy({ jitter: 1 })).toThrow(RangeError);
    expect(() => createRetryPolicy({ retryAfterMinMs: 10, retryAfterMaxMs: 5 })).toThrow(RangeError);
    expect(() => policy().classifyAttempt({ attempt: 0, outcome: response(500) })).toThrow(RangeError);
    expect(() => policy().delayBeforeAttempt(7)).toThrow(RangeError);
  });
});
