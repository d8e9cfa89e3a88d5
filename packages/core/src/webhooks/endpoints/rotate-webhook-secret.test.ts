import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { createWebhookHarness } from '../../testing/webhook-harness.js';

/** The v1 signatures of X-WhatIsUp-Signature that `secret` produced, checked by hand from the docs. */
function matchingSignatures(header: string, body: string, secret: string): number {
  const parts = header.split(',').map((part) => part.split('='));
  const t = parts.find(([name]) => name === 't')?.[1];
  const expected = createHmac('sha256', Buffer.from(secret.slice(6), 'base64')).update(`${t}.${body}`).digest('hex');
  return parts.filter(([name, value]) => name === 'v1' && value === expected).length;
}

const standardHeaders = (headers: Record<string, string>) => ({
  'webhook-id': headers['webhook-id']!,
  'webhook-timestamp': headers['webhook-timestamp']!,
  'webhook-signature': headers['webhook-signature']!,
});

describe('rotateWebhookSecret', () => {
  it('signs with both secrets for 24 hours, then with the new one only', async () => {
    const h = createWebhookHarness();
    h.clock.set(new Date()); // standardwebhooks checks the timestamp against the real time
    const tenant = await h.tenantWithEndpoint();
    const rotated = await h.rotateSecret(tenant.principal, { id: tenant.endpoint.id });
    expect(rotated.signingSecret).toMatch(/^whsec_/);
    expect(rotated.signingSecret).not.toBe(tenant.secret);
    expect(rotated.endpoint.previousSecretExpiresAt).toEqual(new Date(h.clock.now().getTime() + 86_400_000));

    await h.recordEvent(tenant.principal, 'message.received');
    await h.processDelivery(h.queue.take()[0]!);
    const during = h.receiver.requests[0]!;
    const body = during.body as string;
    for (const secret of [tenant.secret, rotated.signingSecret]) {
      expect(new Webhook(secret).verify(body, standardHeaders(during.headers!))).toEqual(JSON.parse(body));
      expect(matchingSignatures(during.headers!['X-WhatIsUp-Signature']!, body, secret)).toBe(1);
    }

    h.clock.advance(86_400_000);
    await h.recordEvent(tenant.principal, 'message.received');
    await h.processDelivery(h.queue.take()[0]!);
    const after = h.receiver.requests[1]!;
    const signature = after.headers!['X-WhatIsUp-Signature']!;
    expect(matchingSignatures(signature, after.body as string, rotated.signingSecret)).toBe(1);
    expect(matchingSignatures(signature, after.body as string, tenant.secret)).toBe(0);
    expect(after.headers!['webhook-signature']!.split(' ')).toHaveLength(1);
  });

  it('stores only ciphertext and never returns the secret from any other use case', async () => {
    const h = createWebhookHarness();
    const tenant = await h.tenantWithEndpoint();
    const rotated = await h.rotateSecret(tenant.principal, { id: tenant.endpoint.id });
    const secrets = [tenant.secret, rotated.signingSecret];
    const keyText = (s: string) => [s, s.slice(6)];
    const dump = JSON.stringify([...h.uow.state.webhookEndpoints!.values(), ...h.uow.state.audit.values()]);
    const outputs = JSON.stringify([
      tenant.endpoint,
      rotated.endpoint,
      await h.getEndpoint(tenant.principal, { id: tenant.endpoint.id }),
      await h.listEndpoints(tenant.principal),
      await h.updateEndpoint(tenant.principal, { id: tenant.endpoint.id, description: 'x' }),
      await h.sendTest(tenant.principal, { id: tenant.endpoint.id }),
      await h.listAuditEvents(tenant.principal),
    ]);
    for (const text of secrets.flatMap(keyText)) {
      expect(dump).not.toContain(text);
      expect(outputs).not.toContain(text);
    }
    const stored = await h.repos.webhookEndpoints.findStored(tenant.customerId, tenant.endpoint.id);
    expect(h.secretBox.open(stored!.secret, tenant.endpoint.id)).toBe(rotated.signingSecret);
    expect(h.secretBox.open(stored!.previousSecret!, tenant.endpoint.id)).toBe(tenant.secret);
  });

  it("answers not_found for another customer's endpoint", async () => {
    const h = createWebhookHarness();
    const owner = await h.tenantWithEndpoint();
    const stranger = await h.newTenant();
    await expect(h.rotateSecret(stranger.principal, { id: owner.endpoint.id })).rejects.toMatchObject({ code: 'not_found' });
  });
});
