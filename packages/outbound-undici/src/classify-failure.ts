/*
 * Turns whatever undici or node:net threw into the port's failure kinds. Messages carry the error code
 * only, never the URL (its query string may hold the receiver's token).
 */
import type { OutboundFailure } from '@whatisup/core';

type NetworkFailureKind = 'timeout' | 'connect_error' | 'tls_error' | 'network_error';

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);
const CONNECT_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'ENOTFOUND', 'EPINNED']);
const TLS_CODE = /^(ERR_TLS_|ERR_SSL_)|CERT|_SIGNATURE|_ISSUER|^ERR_OSSL_/;

export function classifyFailure(error: unknown, deadlinePassed: boolean, durationMs: number): OutboundFailure {
  const code = errorCode(error);
  const kind = deadlinePassed ? 'timeout' : kindOf(code);
  return { kind, message: messageFor(kind, code), durationMs };
}

function kindOf(code: string | undefined): NetworkFailureKind {
  if (code === undefined) return 'network_error';
  if (TIMEOUT_CODES.has(code)) return 'timeout';
  if (CONNECT_CODES.has(code)) return 'connect_error';
  if (TLS_CODE.test(code)) return 'tls_error';
  return 'network_error';
}

function messageFor(kind: NetworkFailureKind, code: string | undefined): string {
  const suffix = code === undefined ? '' : ` (${code})`;
  switch (kind) {
    case 'timeout':
      return `The request timed out${suffix}.`;
    case 'connect_error':
      return `Could not connect to the receiver${suffix}.`;
    case 'tls_error':
      return `The TLS handshake failed${suffix}.`;
    case 'network_error':
      return `The connection failed${suffix}.`;
  }
}

function errorCode(error: unknown): string | undefined {
  // undici may wrap the socket error in its own; the innermost code says most.
  let found: string | undefined;
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 4; depth += 1) {
    const { code, cause } = current as { code?: unknown; cause?: unknown };
    if (typeof code === 'string') found = code;
    current = cause;
  }
  return found;
}
