/*
 * One HTTP attempt of a delivery: sign the stored payload with every live secret of the endpoint, POST
 * it through the guarded client (which re-checks the URL and pins the address), and reduce the result to
 * what is stored: status, error, the first KiB of the body. Never throws for network reasons.
 */
import type { Clock, OutboundHttp } from '../../shared/index.js';
import type { WebhookDelivery } from '../deliveries/webhook-delivery.js';
import type { StoredWebhookEndpoint } from '../endpoints/webhook-endpoint.js';
import type { AttemptOutcome } from './retry-policy.js';
import { SecretBoxError, type SecretBox } from '../signing/secret-box.js';
import { signWebhook } from '../signing/sign-webhook.js';

export const WEBHOOK_USER_AGENT = 'WhatIsUp-Webhooks/1';
export const RESPONSE_EXCERPT_BYTES = 1024;

export interface SentAttempt {
  readonly startedAt: Date;
  readonly durationMs: number;
  readonly outcome: AttemptOutcome;
  readonly responseStatus: number | null;
  /** Why no response came, safe to store; null for a response. */
  readonly error: string | null;
  readonly responseExcerpt: string | null;
}

export interface SendDeliveryAttemptDeps {
  readonly clock: Clock;
  readonly outbound: Pick<OutboundHttp, 'send'>;
  readonly secretBox: SecretBox;
  readonly timeoutMs: number;
}

/**
 * The plaintext secrets that sign now: the current one, then the previous one until it expires. A previous
 * secret that cannot be opened is left out rather than blocking the delivery: rotating the secret is how a
 * customer gets past a secret the server's key no longer opens. Throws SecretBoxError for the current one.
 */
export function liveSecrets(endpoint: StoredWebhookEndpoint, secretBox: SecretBox, now: Date): string[] {
  const secrets = [secretBox.open(endpoint.secret, endpoint.id)];
  const expiresAt = endpoint.previousSecretExpiresAt;
  if (endpoint.previousSecret !== null && expiresAt !== null && expiresAt.getTime() > now.getTime()) {
    try {
      secrets.push(secretBox.open(endpoint.previousSecret, endpoint.id));
    } catch (error) {
      if (!(error instanceof SecretBoxError)) throw error;
    }
  }
  return secrets;
}

// Postgres text cannot hold NUL; a receiver's body is arbitrary bytes.
const excerptOf = (body: Uint8Array): string | null =>
  body.length === 0
    ? null
    : new TextDecoder().decode(body.subarray(0, RESPONSE_EXCERPT_BYTES)).replaceAll('\u0000', '').slice(0, RESPONSE_EXCERPT_BYTES);

/** Throws only when a secret cannot be opened (SecretBoxError: a configuration problem, not the receiver's). */
export async function sendDeliveryAttempt(
  { clock, outbound, secretBox, timeoutMs }: SendDeliveryAttemptDeps,
  delivery: WebhookDelivery,
  endpoint: StoredWebhookEndpoint,
): Promise<SentAttempt> {
  const startedAt = clock.now();
  const signature = signWebhook({
    body: delivery.payload,
    secrets: liveSecrets(endpoint, secretBox, startedAt),
    timestamp: startedAt,
    event: delivery.event,
    eventId: delivery.eventId,
  });
  const result = await outbound.send({
    method: 'POST',
    url: endpoint.url,
    headers: { 'content-type': 'application/json', 'user-agent': WEBHOOK_USER_AGENT, ...signature },
    body: delivery.payload,
    timeoutMs,
    maxResponseBytes: RESPONSE_EXCERPT_BYTES,
  });
  const durationMs = Math.max(0, Math.round(result.durationMs));
  if (result.kind === 'response') {
    return {
      startedAt,
      durationMs,
      outcome: { kind: 'response', status: result.status, headers: result.headers },
      responseStatus: result.status,
      error: null,
      responseExcerpt: excerptOf(result.body),
    };
  }
  return {
    startedAt,
    durationMs,
    outcome: { kind: result.kind },
    responseStatus: null,
    error: `${result.kind}: ${result.message}`,
    responseExcerpt: null,
  };
}
