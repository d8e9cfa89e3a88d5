const SECONDS = /^\d+$/;
// IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT") and the obsolete forms HTTP still allows all name a month.
const HTTP_DATE = /\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b/i;

/**
 * The delay a `Retry-After` value asks for (RFC 9110 section 10.2.3), in milliseconds from `now`: either
 * delay-seconds or an HTTP date (a past date is a delay of 0). Null when absent or unparseable, so the
 * caller falls back to its own schedule.
 */
export function parseRetryAfter(value: string | undefined, now: Date): number | null {
  if (value === undefined) return null;
  const text = value.trim();
  if (SECONDS.test(text)) return Number(text) * 1000;
  if (!HTTP_DATE.test(text)) return null;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now.getTime());
}
