import { describe, expect, it } from 'vitest';
import { createInMemoryHostGate } from '../../testing/in-memory-host-gate.js';
import { createWebhookHarness } from '../../testing/webhook-harness.js';
import { createRetryPolicy } from './retry-policy.js';
import { createSecretBox } from '../signing/secret-box.js';
import { generateSecretsKey, parseSecretsKey } from '../signing/secrets-key.js';
import { createProcessDelivery, SECRET_UNAVAILABLE_ERROR, type SecretUnavailable } from './process-delivery.js';
import { createSigningSecretHealth } from './signing-secret-health.js';

/** The harness's endpoints, and a worker whose SECRETS_KEY is another one: it opens none of their secrets. */
function withWrongKey() {
  const h = createWebhookHarness();
  const reports: SecretUnavailable[] = [];
  const secretHealth = createSigningSecretHealth();
  const worker = (secretBox = createSecretBox({ current: parseSecretsKey(generateSecretsKey()) })) =>
    createProcessDelivery({
      uow: h.uow,
      clock: h.clock,
      outbound: h.receiver,
      hostGate: createInMemoryHostGate({ limit: 4, leaseMs: 60_000, clock: h.clock }),
      secretBox,
      retryPolicy: createRetryPolicy({ clock: h.clock, random: () => 0.5 }),
      deliveryQueue: h.queue,
      secretHealth,
      onSecretUnavailable: (report) => void reports.push(report),
    });
  return { h, reports, secretHealth, worker };
}

describe('a SECRETS_KEY that opens no endpoint secret', () => {
  it('keeps deliveries waiting with a last_error, spends no attempt, reports each endpoint once and turns /readyz unready', async () => {
    const { h, reports, secretHealth, worker } = withWrongKey();
    const tenant = await h.tenantWithEndpoint();
    for (let i = 0; i < 3; i += 1) await h.recordEvent(tenant.principal, 'message.received');
    const ids = h.queue.take();
    const process = worker();

    for (const id of ids) await expect(process(id)).resolves.toBeUndefined();

    expect(h.receiver.requests).toEqual([]);
    for (const id of ids) {
      const { delivery, attempts } = await h.getDelivery(tenant.principal, { id });
      expect(delivery).toMatchObject({ status: 'pending', attemptCount: 0, lastError: SECRET_UNAVAILABLE_ERROR });
      expect(delivery.nextAttemptAt).toEqual(new Date(h.clock.now().getTime() + 300_000));
      expect(attempts).toEqual([]);
    }
    expect(reports).toEqual([expect.objectContaining({ endpointId: tenant.endpoint.id, reason: 'unknown_key' })]);
    expect(JSON.stringify(reports)).not.toContain(tenant.secret);
    expect(secretHealth.ready()).toBe(false);
    expect(h.queue.jobs.map((job) => job.delayMs)).toEqual([300_000, 300_000, 300_000]);

    // The operator restores the key: the next wake sends, and the process is ready again.
    h.clock.advance(300_000);
    await worker(h.secretBox)(ids[0]!);
    expect((await h.getDelivery(tenant.principal, { id: ids[0]! })).delivery).toMatchObject({ status: 'success', lastError: null });
    expect(secretHealth.ready()).toBe(true);
  });

  it('stays ready when only some endpoints fail (their deliveries say why)', () => {
    const health = createSigningSecretHealth();
    health.opened('wh_a');
    expect(health.failed('wh_b')).toBe(true);
    expect(health.failed('wh_b')).toBe(false);
    expect(health.ready()).toBe(true);
    expect(health.failing()).toBe(1);
  });
});
