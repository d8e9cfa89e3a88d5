import { WhatIsUpError } from './whatisup-error.js';

interface Envelope {
  readonly error: { readonly code: string; readonly message: string; readonly details?: Record<string, unknown> };
  readonly request_id?: string;
}

const isEnvelope = (value: unknown): value is Envelope => {
  if (typeof value !== 'object' || value === null) return false;
  const error = (value as { error?: unknown }).error;
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string' &&
    typeof (error as { message?: unknown }).message === 'string'
  );
};

/**
 * `Retry-After` in seconds: a number of seconds or an HTTP date (RFC 9110). Null when absent or unreadable.
 */
export function parseRetryAfter(header: string | null, now = Date.now()): number | null {
  if (header === null || header.trim() === '') return null;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

/**
 * The error a non-2xx response stands for. The body is read here; a body that is not the documented envelope
 * (a proxy's HTML page, say) is `unexpected_response` with the status and the start of the text.
 */
export async function errorFromResponse(response: Response): Promise<WhatIsUpError> {
  const text = await response.text().catch(() => '');
  const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
  const headerRequestId = response.headers.get('x-request-id');
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: handled below
  }
  if (isEnvelope(body)) {
    return new WhatIsUpError({
      status: response.status,
      code: body.error.code,
      message: body.error.message,
      details: body.error.details ?? {},
      requestId: body.request_id ?? headerRequestId,
      retryAfter,
    });
  }
  return new WhatIsUpError({
    status: response.status,
    code: 'unexpected_response',
    message: `HTTP ${response.status} without the error envelope: ${text.slice(0, 200) || '(empty body)'}`,
    requestId: headerRequestId,
    retryAfter,
  });
}
