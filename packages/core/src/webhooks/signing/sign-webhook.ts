/*
 * Signs one delivery attempt. Two schemes, same key bytes (the base64-decoded part of `whsec_...`):
 *
 * - `X-WhatIsUp-Signature: t=<unix>,v1=<hex HMAC-SHA256(key, "<t>.<body>")>` (Stripe style);
 * - Standard Webhooks: `webhook-id`, `webhook-timestamp` and
 *   `webhook-signature: v1,<base64 HMAC-SHA256(key, "<id>.<t>.<body>")>`.
 *
 * `webhook-id` is the event id, not the delivery id: the spec asks for the same id on every retry of one
 * message so consumers can deduplicate, and `event_id` is already our documented dedupe key (it is also
 * the same across endpoints and replays of one event). During a secret rotation every secret signs: one
 * `v1=` per secret in our header, one space-separated `v1,` entry per secret in the standard one, in the
 * order given (current secret first), so a consumer holding either secret verifies.
 */
import { createHmac } from 'node:crypto';
import type { EventName } from '../../events/index.js';
import { decodeSigningSecret } from './signing-secret.js';

export interface SignWebhookInput {
  /** The exact body that will be sent (the serialised envelope). */
  readonly body: string;
  /** Every secret that signs, current first; at least one, each `whsec_...`. */
  readonly secrets: readonly string[];
  /** When this attempt is sent; rounded down to whole seconds. */
  readonly timestamp: Date;
  readonly event: EventName;
  /** The envelope's `event_id`; also sent as `webhook-id`. */
  readonly eventId: string;
}

export interface WebhookSignatureHeaders {
  readonly 'X-WhatIsUp-Signature': string;
  readonly 'X-WhatIsUp-Event': EventName;
  readonly 'X-WhatIsUp-Event-Id': string;
  readonly 'webhook-id': string;
  readonly 'webhook-timestamp': string;
  readonly 'webhook-signature': string;
}

const hmac = (key: Buffer, text: string): Buffer => createHmac('sha256', key).update(text, 'utf8').digest();

/** The signature headers for one attempt. Throws a plain Error when `secrets` is empty (a bug). */
export function signWebhook(input: SignWebhookInput): WebhookSignatureHeaders {
  if (input.secrets.length === 0) throw new Error('signWebhook needs at least one signing secret.');
  const t = Math.floor(input.timestamp.getTime() / 1000).toString();
  const keys = input.secrets.map(decodeSigningSecret);
  const ours = keys.map((key) => `v1=${hmac(key, `${t}.${input.body}`).toString('hex')}`);
  const standard = keys.map((key) => `v1,${hmac(key, `${input.eventId}.${t}.${input.body}`).toString('base64')}`);
  return {
    'X-WhatIsUp-Signature': [`t=${t}`, ...ours].join(','),
    'X-WhatIsUp-Event': input.event,
    'X-WhatIsUp-Event-Id': input.eventId,
    'webhook-id': input.eventId,
    'webhook-timestamp': t,
    'webhook-signature': standard.join(' '),
  };
}
