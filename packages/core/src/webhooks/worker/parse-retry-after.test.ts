import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from './parse-retry-after.js';

const now = new Date('2026-05-01T12:00:00.000Z');

describe('parseRetryAfter', () => {
  it('reads delay-seconds', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
  });

  it('reads an HTTP date as the time left until it', () => {
    expect(parseRetryAfter('Fri, 01 May 2026 12:05:00 GMT', now)).toBe(300_000);
  });

  it('reads a date in the past as no delay', () => {
    expect(parseRetryAfter('Fri, 01 May 2026 11:00:00 GMT', now)).toBe(0);
  });

  it.each([undefined, '', '-5', '1.5', 'soon', '12abc', '2026-05-01'])('ignores %s', (value) => {
    expect(parseRetryAfter(value, now)).toBeNull();
  });
});
