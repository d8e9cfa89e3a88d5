import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level, so equal requests serialise equally whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * What makes two send requests "the same" for idempotency: the instance, the normalised recipient, the body,
 * the client_ref, reply_to, and typing_ms and the forwarded message when given (not the Idempotency-Key itself). Hex SHA-256 of their canonical JSON.
 */
export function messageRequestHash(request: {
  readonly instanceId: string;
  readonly recipient: string;
  readonly body: unknown;
  readonly clientRef: string | null;
  readonly replyTo: string | null;
  readonly typingMs?: number;
  readonly forwardedFrom?: string;
}): string {
  return createHash('sha256').update(canonicalJson(request)).digest('hex');
}
