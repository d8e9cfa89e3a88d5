import { describe, expect, it } from 'vitest';
import { createSecretBox, type SecretBox } from './secret-box.js';
import { generateSecretsKey, parseSecretsKey } from './secrets-key.js';
import { createResealWebhookSecrets } from './reseal-webhook-secrets.js';
import { createWebhookHarness } from '../../testing/webhook-harness.js';

describe('resealWebhookSecrets', () => {
  it('re-seals every secret under the new key, keeps them openable, and is a no-op the second time', async () => {
    const h = createWebhookHarness();
    const first = await h.tenantWithEndpoint();
    const second = await h.tenantWithEndpoint();
    await h.rotateSecret(second.principal, { id: second.endpoint.id });

    const oldKey = (await h.uow.repos.webhookEndpoints.findStored(first.customerId, first.endpoint.id))!.secret.keyId;
    // What the server builds after SECRETS_KEY rotated: a new current key; the old one still opens.
    const freshKey = parseSecretsKey(generateSecretsKey());
    const fresh = createSecretBox({ current: freshKey });
    const rotatedBox: SecretBox = {
      seal: fresh.seal,
      needsReseal: fresh.needsReseal,
      open: (sealed, boundTo) => (sealed.keyId === freshKey.id ? fresh : h.secretBox).open(sealed, boundTo),
      reseal: (sealed, boundTo) => (fresh.needsReseal(sealed) ? fresh.seal(rotatedBox.open(sealed, boundTo), boundTo) : sealed),
    };
    const reseal = createResealWebhookSecrets({ uow: h.uow, clock: h.clock, secretBox: rotatedBox, batchSize: 1 });

    expect(await reseal({ type: 'cli' })).toEqual({ scanned: 2, resealed: 2 });
    for (const tenant of [first, second]) {
      const stored = (await h.uow.repos.webhookEndpoints.findStored(tenant.customerId, tenant.endpoint.id))!;
      expect(stored.secret.keyId).not.toBe(oldKey);
      expect(rotatedBox.needsReseal(stored.secret)).toBe(false);
      if (stored.previousSecret) expect(rotatedBox.needsReseal(stored.previousSecret)).toBe(false);
    }
    expect(rotatedBox.open((await h.uow.repos.webhookEndpoints.findStored(first.customerId, first.endpoint.id))!.secret, first.endpoint.id)).toBe(first.secret);

    expect(await reseal({ type: 'cli' })).toEqual({ scanned: 2, resealed: 0 });
  });

  it('is for the operator only', async () => {
    const h = createWebhookHarness();
    const { principal } = await h.tenantWithEndpoint();
    const reseal = createResealWebhookSecrets({ uow: h.uow, clock: h.clock, secretBox: h.secretBox });
    await expect(reseal({ type: 'api_key', keyId: principal.keyId, customerId: principal.customerId })).rejects.toMatchObject({ code: 'forbidden' });
  });
});
