/*
 * Log hygiene. Fastify logs each request's method and URL; the URL may carry a short-lived `token` query
 * parameter (EventSource cannot send headers), so it is censored, as is the signed token in a media URL's path.
 * Headers are not logged by default, and
 * `authorization` and `cookie` are redacted should anything log them.
 */
import type { FastifyRequest } from 'fastify';

export const REDACTED = '[redacted]';

export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
  'authorization',
];

const SECRET_QUERY_PARAMS = /([?&](?:token|api_key|key)=)[^&#]*/gi;
/** An API key's secret wherever it appears (a key pasted into any query parameter); its public prefix stays. */
const API_KEY_SECRET = /(wiu_[a-z2-7]{16}_)[A-Za-z0-9_-]+/g;

/** The signed token of `/v1/media/<token>`: a capability (with the key) for the media it names. */
const MEDIA_TOKEN = /(\/v1\/media\/)[^?#]+/g;

/** The URL with the values of secret-bearing query parameters, media tokens and any API key secret replaced. */
export function redactUrl(url: string): string {
  return url
    .replace(SECRET_QUERY_PARAMS, `$1${REDACTED}`)
    .replace(MEDIA_TOKEN, `$1${REDACTED}`)
    .replace(API_KEY_SECRET, `$1${REDACTED}`);
}

export const logSerializers = {
  req(request: FastifyRequest) {
    return {
      method: request.method,
      url: redactUrl(request.url),
      host: request.host,
      remoteAddress: request.ip,
    };
  },
};
