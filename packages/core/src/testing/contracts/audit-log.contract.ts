import { describe, expect, it } from 'vitest';
import type { Actor, NewAuditEvent } from '../../shared/index.js';
import { aCustomer, anInstance, aStoredApiKey } from '../fixtures.js';
import type { ContractSetup } from './contract-subject.js';
import { useContractSubject } from './use-contract-subject.js';

/** The behaviour every `AuditLog` must have. */
export function describeAuditLogContract(name: string, setup: ContractSetup): void {
  describe(`AuditLog contract: ${name}`, () => {
    const subject = useContractSubject(setup);
    const newCustomer = async (): Promise<string> => (await subject().repos.customers.create(aCustomer())).id;
    const cliEvent = (customerId: string, overrides: Partial<NewAuditEvent> = {}): NewAuditEvent => ({
      customerId,
      actor: { type: 'cli' },
      action: 'customer.created',
      targetType: 'customer',
      targetId: customerId,
      instanceId: null,
      data: {},
      ...overrides,
    });

    it('appends an event and lists it back with every field, actor included', async () => {
      const { audit, apiKeys, instances } = subject().repos;
      const customerId = await newCustomer();
      const instance = await instances.create(anInstance(customerId));
      const key = await apiKeys.create(aStoredApiKey(customerId));
      const actor: Actor = { type: 'api_key', keyId: key.id, customerId };
      const occurredAt = new Date(Date.now() - 1000);
      const event = cliEvent(customerId, {
        actor,
        action: 'instance.created',
        targetType: 'instance',
        targetId: instance.id,
        instanceId: instance.id,
        data: { name: instance.name, nested: { ok: true } },
        occurredAt,
      });
      const appended = await audit.append(event);
      expect(appended.id).toMatch(/^aud_/);
      expect(appended).toEqual({ ...event, id: appended.id, occurredAt });
      expect((await audit.list(customerId, { limit: 10 })).data).toEqual([appended]);
    });

    it('stamps the time when none is given and keeps a cli actor', async () => {
      const { audit } = subject().repos;
      const customerId = await newCustomer();
      const appended = await audit.append(cliEvent(customerId));
      expect(appended.occurredAt).toBeInstanceOf(Date);
      expect((await audit.list(customerId, { limit: 10 })).data[0]?.actor).toEqual({ type: 'cli' });
    });

    it('lists newest first in pages', async () => {
      const { audit } = subject().repos;
      const customerId = await newCustomer();
      const a = await audit.append(cliEvent(customerId, { action: 'a' }));
      const b = await audit.append(cliEvent(customerId, { action: 'b' }));
      const c = await audit.append(cliEvent(customerId, { action: 'c' }));
      const first = await audit.list(customerId, { limit: 2 });
      expect(first.data.map((e) => e.id)).toEqual([c.id, b.id]);
      const second = await audit.list(customerId, { limit: 2, cursor: first.nextCursor });
      expect(second.data.map((e) => e.id)).toEqual([a.id]);
      expect(second.nextCursor).toBeNull();
    });

    it("never lists another customer's events", async () => {
      const { audit } = subject().repos;
      const [mine, theirs] = [await newCustomer(), await newCustomer()];
      await audit.append(cliEvent(theirs));
      const own = await audit.append(cliEvent(mine));
      expect((await audit.list(mine, { limit: 100 })).data.map((e) => e.id)).toEqual([own.id]);
    });

    it('narrows to one instance', async () => {
      const { audit, instances } = subject().repos;
      const customerId = await newCustomer();
      const instance = await instances.create(anInstance(customerId));
      const about = await audit.append(cliEvent(customerId, { instanceId: instance.id, action: 'instance.created' }));
      await audit.append(cliEvent(customerId));
      const page = await audit.list(customerId, { limit: 100 }, { instanceId: instance.id });
      expect(page.data.map((e) => e.id)).toEqual([about.id]);
    });
  });
}
