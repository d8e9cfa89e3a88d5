import { describe, expect, it } from 'vitest';
import { isDomainError } from '../../shared/index.js';
import { aCustomer, anInstance } from '../fixtures.js';
import { aWebhookDelivery, aWebhookEndpoint } from '../in-memory-webhook-fixtures.js';
import type { ContractSetup } from './contract-subject.js';
import { useContractSubject } from './use-contract-subject.js';

/** The behaviour every `WebhookEndpointRepository` must have. */
export function describeWebhookEndpointRepositoryContract(name: string, setup: ContractSetup): void {
  describe(`WebhookEndpointRepository contract: ${name}`, () => {
    const subject = useContractSubject(setup);
    const newCustomer = async (): Promise<string> => (await subject().repos.customers.create(aCustomer())).id;

    it('stores an endpoint: public reads carry no secret, findStored carries the sealed ones', async () => {
      const repo = subject().repos.webhookEndpoints;
      const customerId = await newCustomer();
      const stored = aWebhookEndpoint(customerId, { events: ['message.received', 'message.sent'], description: 'd' });
      const { secret: _s, previousSecret: _p, ...expected } = stored;
      expect(await repo.create(stored)).toEqual(expected);
      expect(await repo.findById(customerId, stored.id)).toEqual(expected);
      expect(await repo.findStored(customerId, stored.id)).toEqual(stored);
      const error = await repo.create(stored).catch((e: unknown) => e);
      expect(isDomainError(error, 'conflict')).toBe(true);
    });

    it("hides another customer's endpoint from every method", async () => {
      const repo = subject().repos.webhookEndpoints;
      const owner = await newCustomer();
      const other = await newCustomer();
      const endpoint = await repo.create(aWebhookEndpoint(owner));
      const at = new Date();
      expect(await repo.findById(other, endpoint.id)).toBeNull();
      expect(await repo.findStored(other, endpoint.id)).toBeNull();
      expect((await repo.list(other, { limit: 100 })).data).toEqual([]);
      expect(await repo.findMatching(other, { instanceId: null, name: 'message.sent' })).toEqual([]);
      expect(await repo.update(other, endpoint.id, { enabled: false }, at)).toBeNull();
      expect(await repo.disable(other, endpoint.id, 'gone', at)).toBeNull();
      expect(await repo.setSecrets(other, endpoint.id, { secret: { keyId: 'k', ciphertext: 'v1.x' }, previousSecret: null, previousSecretExpiresAt: null }, at)).toBeNull();
      expect(await repo.delete(other, endpoint.id)).toBeNull();
      expect(await repo.findById(owner, endpoint.id)).toEqual(endpoint);
    });

    it('lists newest first in pages, optionally only one instance', async () => {
      const { repos } = subject();
      const customerId = await newCustomer();
      const instance = await repos.instances.create(anInstance(customerId));
      const a = await repos.webhookEndpoints.create(aWebhookEndpoint(customerId));
      const b = await repos.webhookEndpoints.create(aWebhookEndpoint(customerId, { instanceId: instance.id }));
      const c = await repos.webhookEndpoints.create(aWebhookEndpoint(customerId));
      const first = await repos.webhookEndpoints.list(customerId, { limit: 2 });
      expect(first.data.map((e) => e.id)).toEqual([c.id, b.id]);
      const second = await repos.webhookEndpoints.list(customerId, { limit: 2, cursor: first.nextCursor });
      expect(second).toEqual({ data: [a], nextCursor: null });
      expect((await repos.webhookEndpoints.list(customerId, { limit: 10 }, { instanceId: instance.id })).data).toEqual([b]);
    });

    it('finds the enabled endpoints that match an event by instance and name', async () => {
      const { repos } = subject();
      const customerId = await newCustomer();
      const shop = await repos.instances.create(anInstance(customerId));
      const other = await repos.instances.create(anInstance(customerId));
      const create = (o: Parameters<typeof aWebhookEndpoint>[1]) => repos.webhookEndpoints.create(aWebhookEndpoint(customerId, o));
      const all = await create({ events: ['*'] });
      const named = await create({ events: ['message.sent', 'message.received'] });
      const bound = await create({ events: ['*'], instanceId: shop.id });
      await create({ events: ['*'], instanceId: other.id });
      await create({ events: ['instance.connected'] });
      await create({ events: ['*'], enabled: false, disabledReason: 'manual' });
      const family = await create({ events: ['message.*'] });
      await create({ events: ['instance.*'] });
      const ids = (await repos.webhookEndpoints.findMatching(customerId, { instanceId: shop.id, name: 'message.received' })).map((e) => e.id);
      expect(ids).toEqual([all.id, named.id, bound.id, family.id]);
      const unbound = await repos.webhookEndpoints.findMatching(customerId, { instanceId: null, name: 'message.sent' });
      expect(unbound.map((e) => e.id)).toEqual([all.id, named.id, family.id]);
    });

    it('patches only the given fields, disables once, and replaces secrets', async () => {
      const repo = subject().repos.webhookEndpoints;
      const customerId = await newCustomer();
      const endpoint = await repo.create(aWebhookEndpoint(customerId, { description: 'keep' }));
      const at = new Date(endpoint.createdAt.getTime() + 1000);
      const patched = await repo.update(customerId, endpoint.id, { url: 'https://new.example.com/', events: ['message.sent'] }, at);
      expect(patched).toEqual({ ...endpoint, url: 'https://new.example.com/', events: ['message.sent'], updatedAt: at });
      expect(await repo.update(customerId, endpoint.id, { description: null }, at)).toMatchObject({ description: null });
      expect(await repo.disable(customerId, endpoint.id, 'gone', at)).toMatchObject({ enabled: false, disabledReason: 'gone' });
      expect(await repo.disable(customerId, endpoint.id, 'gone', at)).toBeNull();
      const back = await repo.update(customerId, endpoint.id, { enabled: true, disabledReason: null }, at);
      expect(back).toMatchObject({ enabled: true, disabledReason: null });
      const secrets = {
        secret: { keyId: 'k2', ciphertext: 'v1.new' },
        previousSecret: { keyId: 'k1', ciphertext: 'v1.old' },
        previousSecretExpiresAt: new Date(at.getTime() + 86_400_000),
      };
      expect(await repo.setSecrets(customerId, endpoint.id, secrets, at)).toMatchObject({ previousSecretExpiresAt: secrets.previousSecretExpiresAt });
      expect(await repo.findStored(customerId, endpoint.id)).toMatchObject(secrets);
    });

    it('deletes an endpoint with its deliveries and walks every endpoint for re-sealing', async () => {
      const { repos } = subject();
      const customerId = await newCustomer();
      const endpoint = await repos.webhookEndpoints.create(aWebhookEndpoint(customerId));
      const delivery = aWebhookDelivery(customerId, endpoint.id);
      await repos.webhookDeliveries.createMany([delivery]);
      const all = await repos.webhookEndpoints.listAllSecrets(null, 100_000);
      expect(all.map((e) => e.id)).toContain(endpoint.id);
      const after = await repos.webhookEndpoints.listAllSecrets(endpoint.id, 100_000);
      expect(after.every((e) => e.id > endpoint.id)).toBe(true);
      expect(await repos.webhookEndpoints.delete(customerId, endpoint.id)).toMatchObject({ id: endpoint.id });
      expect(await repos.webhookEndpoints.findById(customerId, endpoint.id)).toBeNull();
      expect(await repos.webhookDeliveries.findById(customerId, delivery.id)).toBeNull();
    });
  });
}
