import { createHmac, timingSafeEqual } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { signWebhook } from './sign-webhook.js';
import { generateSigningSecret } from './signing-secret.js';

const body = '{"event":"webhook.test","event_id":"evt_01","api_version":"2026-04","instance_id":null,"occurred_at":"2026-05-01T12:00:00.000Z","data":{"text":"héllo"}}';

/** An integrator's own check of X-WhatIsUp-Signature, written from the docs only. */
function verifyWhatIsUpSignature(header: string, rawBody: string, secret: string): boolean {
  const parts = header.split(',').map((part) => part.split('='));
  const t = parts.find(([name]) => name === 't')?.[1];
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const expected = createHmac('sha256', key).update(`${t}.${rawBody}`).digest();
  return parts
    .filter(([name]) => name === 'v1')
    .some(([, hex]) => hex !== undefined && hex.length === 64 && timingSafeEqual(Buffer.from(hex, 'hex'), expected));
}

const standardHeaders = (headers: ReturnType<typeof signWebhook>): Record<string, string> => ({
  'webhook-id': headers['webhook-id'],
  'webhook-timestamp': headers['webhook-timestamp'],
  'webhook-signature': headers['webhook-signature'],
});

describe('signWebhook', () => {
  it('produces headers that the standardwebhooks library verifies', () => {
    const secret = generateSigningSecret();
    const headers = signWebhook({ body, secrets: [secret], timestamp: new Date(), event: 'webhook.test', eventId: 'evt_01' });
    expect(new Webhook(secret).verify(body, standardHeaders(headers))).toEqual(JSON.parse(body));
  });

  it('produces an X-WhatIsUp-Signature that an independent HMAC check verifies', () => {
    const secret = generateSigningSecret();
    const headers = signWebhook({ body, secrets: [secret], timestamp: new Date(), event: 'webhook.test', eventId: 'evt_01' });
    expect(verifyWhatIsUpSignature(headers['X-WhatIsUp-Signature'], body, secret)).toBe(true);
    expect(verifyWhatIsUpSignature(headers['X-WhatIsUp-Signature'], `${body} `, secret)).toBe(false);
    expect(verifyWhatIsUpSignature(headers['X-WhatIsUp-Signature'], body, generateSigningSecret())).toBe(false);
  });

  it('uses the event id as webhook-id and stamps whole unix seconds', () => {
    const headers = signWebhook({
      body,
      secrets: [generateSigningSecret()],
      timestamp: new Date('2026-05-01T12:00:00.999Z'),
      event: 'message.received',
      eventId: 'evt_42',
    });
    expect(headers['webhook-id']).toBe('evt_42');
    expect(headers['X-WhatIsUp-Event-Id']).toBe('evt_42');
    expect(headers['X-WhatIsUp-Event']).toBe('message.received');
    expect(headers['webhook-timestamp']).toBe('1777636800');
    expect(headers['X-WhatIsUp-Signature']).toMatch(/^t=1777636800,v1=[0-9a-f]{64}$/);
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
  });

  it('signs with every secret during a rotation, so either secret verifies both schemes', () => {
    const current = generateSigningSecret();
    const previous = generateSigningSecret();
    const headers = signWebhook({ body, secrets: [current, previous], timestamp: new Date(), event: 'webhook.test', eventId: 'evt_01' });
    expect(headers['X-WhatIsUp-Signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64},v1=[0-9a-f]{64}$/);
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    for (const secret of [current, previous]) {
      expect(new Webhook(secret).verify(body, standardHeaders(headers))).toEqual(JSON.parse(body));
      expect(verifyWhatIsUpSignature(headers['X-WhatIsUp-Signature'], body, secret)).toBe(true);
    }
    expect(() => new Webhook(generateSigningSecret()).verify(body, standardHeaders(headers))).toThrow();
  });

  it('is deterministic for the same inputs, as replays of one attempt should be', () => {
    const input = { body, secrets: [generateSigningSecret()], timestamp: new Date(), event: 'webhook.test', eventId: 'evt_01' } as const;
    expect(signWebhook(input)).toEqual(signWebhook(input));
  });

  it('refuses to sign with no secret', () => {
    expect(() => signWebhook({ body, secrets: [], timestamp: new Date(), event: 'webhook.test', eventId: 'evt_01' })).toThrow(
      /at least one/,
    );
  });
});
