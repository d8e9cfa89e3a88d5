import { describe, expect, it } from 'vitest';
import type { SessionCredentialRepository } from '../../credentials/index.js';
import type { SessionLeaseRepository } from '../../cluster/index.js';
import { aCustomer, anInstance } from '../fixtures.js';
import type { Repositories } from '../../repositories.js';
import { useContractSubject } from './use-contract-subject.js';

export interface SessionCredentialSubject {
  readonly credentials: SessionCredentialRepository;
  /** Repositories over the same database: instances to attach credentials to, leases to fence with. */
  readonly repos: Pick<Repositories, 'customers' | 'instances'> & { readonly leases: SessionLeaseRepository };
  readonly cleanup?: (() => Promise<void>) | undefined;
}

const sealed = (text: string, keyId = 'k1') => ({ keyId, ciphertext: `v2.${text}` });
const T0 = new Date('2026-05-01T12:00:00.000Z');

/** The behaviour every `SessionCredentialRepository` must have. */
export function describeSessionCredentialRepositoryContract(name: string, setup: () => Promise<SessionCredentialSubject>): void {
  describe(`SessionCredentialRepository contract: ${name}`, () => {
    const subject = useContractSubject(setup);
    const newInstance = async () => {
      const customer = await subject().repos.customers.create(aCustomer());
      return (await subject().repos.instances.create(anInstance(customer.id))).id;
    };

    it('writes, reads back, deletes and wipes entries of one instance only', async () => {
      const { credentials } = subject();
      const [a, b] = [await newInstance(), await newInstance()];
      expect(await credentials.write(a, [{ name: 'creds', sealed: sealed('a') }, { name: 'pre-key/1', sealed: sealed('k') }], null, T0)).toBe(true);
      await credentials.write(b, [{ name: 'creds', sealed: sealed('b') }], null, T0);
      expect(await credentials.list(a)).toEqual([
        { instanceId: a, name: 'creds', sealed: sealed('a') },
        { instanceId: a, name: 'pre-key/1', sealed: sealed('k') },
      ]);
      expect(await credentials.find(a, 'pre-key/1')).toEqual({ instanceId: a, name: 'pre-key/1', sealed: sealed('k') });
      expect(await credentials.find(b, 'pre-key/1')).toBeNull();
      await credentials.write(a, [{ name: 'pre-key/1', sealed: null }, { name: 'creds', sealed: sealed('a2') }], null, T0);
      expect(await credentials.list(a)).toEqual([{ instanceId: a, name: 'creds', sealed: sealed('a2') }]);
      await credentials.wipe(a);
      expect(await credentials.list(a)).toEqual([]);
      expect(await credentials.list(b)).toHaveLength(1);
      const withCreds = await credentials.instancesWith('creds');
      expect(withCreds).toContain(b);
      expect(withCreds).not.toContain(a);
    });

    it('writes under a fence only while its lease holds', async () => {
      const { credentials, repos } = subject();
      const id = await newInstance();
      const lease = (await repos.leases.acquire(id, 'node_a', { at: T0, until: new Date(T0.getTime() + 1_000) }))!;
      const fence = { instanceId: id, nodeId: 'node_a', epoch: lease.epoch };
      expect(await credentials.write(id, [{ name: 'creds', sealed: sealed('1') }], fence, new Date(T0.getTime() + 999))).toBe(true);
      await repos.leases.acquire(id, 'node_b', { at: new Date(T0.getTime() + 1_000), until: new Date(T0.getTime() + 2_000) });
      expect(await credentials.write(id, [{ name: 'creds', sealed: sealed('2') }], fence, new Date(T0.getTime() + 1_001))).toBe(false);
      expect(await credentials.list(id)).toEqual([{ instanceId: id, name: 'creds', sealed: sealed('1') }]);
    });

    it('walks every entry in (instance, name) order and replaces one only while it is unchanged', async () => {
      const { credentials } = subject();
      const id = await newInstance();
      await credentials.write(id, [{ name: 'b', sealed: sealed('b') }, { name: 'a', sealed: sealed('a') }], null, T0);
      const all: string[] = [];
      let after: { instanceId: string; name: string } | null = null;
      for (;;) {
        const batch = await credentials.listAll(after, 1);
        if (batch.length === 0) break;
        all.push(...batch.filter((e) => e.instanceId === id).map((e) => e.name));
        after = batch[0]!;
      }
      expect(all).toEqual(['a', 'b']);
      const [a] = await credentials.list(id);
      expect(await credentials.replace(a!, sealed('a-resealed', 'k2'))).toBe(true);
      // `a` is stale now: a second replace from it loses to the value written meanwhile.
      expect(await credentials.replace(a!, sealed('a-again', 'k3'))).toBe(false);
      expect((await credentials.list(id))[0]!.sealed).toEqual(sealed('a-resealed', 'k2'));
    });
  });
}
