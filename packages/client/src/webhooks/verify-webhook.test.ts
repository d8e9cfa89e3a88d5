/*
 * The verifier against the server's own signer (core's signWebhook), so the two cannot drift apart, and
 * against what a tampering or replaying sender could change.
 */
import { generateSigningSecret, signWebhook } from '@whatisup/core/webhooks';
import { describe, expect, it } from 'vitest';
import { isValidWebhook, verifyWebhook, WebhookVerificationError, type VerifyWebhookOptions } from './verify-webhook.js';

const secret = generateSigningSecret();
const body = JSON.stringify({
  event: 'webhook.test',
  event_id: 'evt_01J00000000000000000000000',
  api_version: '2026-04',
  instance_id: null,
  occurred_at: '2026-05-01T12:34:56.000Z',
  data: { note: 'héllo' },
});
const sentAt = new Date('2026-05-01T12:34:56.000Z');
const now = () => sentAt.getTime() + 30_000;

function signed(secrets = [secret]): Record<keyof ReturnType<typeof signWebhook>, string> {
  return { ...signWebhook({ body, secrets, timestamp: sentAt, event: 'webhook.test', eventId: 'evt_01J00000000000000000000000' }) };
}

const standardOnly = (headers: ReturnType<typeof signed>) => ({
  'webhook-id': headers['webhook-id'],
  'webhook-timestamp': headers['webhook-timestamp'],
  'webhook-signature': headers['webhook-signature'],
});
const oursOnly = (headers: ReturnType<typeof signed>) => ({ 'x-whatisup-signature': headers['X-WhatIsUp-Signature'] });

async function reason(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof WebhookVerificationError) return error.reason;
    throw error;
  }
  return 'accepted';
}

describe('verifying a webhook delivery', () => {
  const options: VerifyWebhookOptions = { secret, now };

  it('accepts each scheme on its own, from a string body or the raw bytes, and returns the event', async () => {
    const headers = signed();
    for (const only of [standardOnly(headers), oursOnly(headers)]) {
      await expect(verifyWebhook(body, only, options)).resolves.toMatchObject({ event: 'webhook.test', data: { note: 'héllo' } });
      await expect(verifyWebhook(new TextEncoder().encode(body), only, options)).resolves.toMatchObject({ event: 'webhook.test' });
    }
    // Header names in any case, as a fetch Headers or Node's lower-cased object.
    await expect(verifyWebhook(body, new Headers(headers), options)).resolves.toMatchObject({ event: 'webhook.test' });
  });

  it('rejects a tampered body under either scheme', async () => {
    const tampered = body.replace('héllo', 'hello');
    expect(await reason(verifyWebhook(tampered, standardOnly(signed()), options))).toBe('signature_mismatch');
    expect(await reason(verifyWebhook(tampered, oursOnly(signed()), options))).toBe('signature_mismatch');
    expect(await reason(verifyWebhook(tampered, signed(), options))).toBe('signature_mismatch');
  });

  it('rejects another secret, and a webhook-id changed to pass off the signature as another event', async () => {
    expect(await reason(verifyWebhook(body, signed(), { secret: generateSigningSecret(), now }))).toBe('signature_mismatch');
    const moved = { ...standardOnly(signed()), 'webhook-id': 'evt_other' };
    expect(await reason(verifyWebhook(body, moved, options))).toBe('signature_mismatch');
  });

  it('rejects a timestamp outside the tolerance on either side of now, 5 minutes by default', async () => {
    const headers = signed();
    const at = (offsetS: number) => () => sentAt.getTime() + offsetS * 1000;
    expect(await reason(verifyWebhook(body, headers, { secret, now: at(300) }))).toBe('accepted');
    expect(await reason(verifyWebhook(body, headers, { secret, now: at(301) }))).toBe('timestamp_out_of_tolerance');
    expect(await reason(verifyWebhook(body, headers, { secret, now: at(-301) }))).toBe('timestamp_out_of_tolerance');
    expect(await reason(verifyWebhook(body, headers, { secret, now: at(3600), toleranceSeconds: 3600 }))).toBe('accepted');
  });

  it('does not let a fresh timestamp be spliced onto an old signature', async () => {
    const old = signed();
    const fresh = String(Math.floor(now() / 1000));
    const spliced = { 'x-whatisup-signature': old['X-WhatIsUp-Signature'].replace(/^t=\d+/, `t=${fresh}`) };
    expect(await reason(verifyWebhook(body, spliced, { secret, now: () => now() + 3600_000 }))).toBe('timestamp_out_of_tolerance');
    expect(await reason(verifyWebhook(body, spliced, options))).toBe('signature_mismatch');
  });

  it('accepts either secret during a rotation, when the delivery carries two signatures', async () => {
    const previous = generateSigningSecret();
    const headers = signed([generateSigningSecret(), previous]);
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(await isValidWebhook(body, standardOnly(headers), { secret: previous, now })).toBe(true);
    expect(await isValidWebhook(body, oursOnly(headers), { secret: previous, now })).toBe(true);
  });

  it('says what is wrong when nothing can be checked', async () => {
    expect(await reason(verifyWebhook(body, {}, options))).toBe('missing_signature');
    expect(await reason(verifyWebhook(body, oursOnly(signed()), { ...options, schemes: ['standard'] }))).toBe('missing_signature');
    expect(await reason(verifyWebhook(body, { 'x-whatisup-signature': 't=soon,v1=00' }, options))).toBe('invalid_timestamp');
    expect(await reason(verifyWebhook(body, signed(), { secret: 'not-a-secret', now }))).toBe('invalid_secret');
  });

  it('treats malformed signature entries as non-matching rather than failing', async () => {
    const headers = { ...standardOnly(signed()), 'webhook-signature': 'v1,@@@ v2,abc v1,' };
    expect(await reason(verifyWebhook(body, headers, options))).toBe('signature_mismatch');
    const ours = { 'x-whatisup-signature': `t=${signed()['webhook-timestamp']},v1=zz,v1=abc` };
    expect(await reason(verifyWebhook(body, ours, options))).toBe('signature_mismatch');
  });
});
