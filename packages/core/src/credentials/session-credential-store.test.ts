import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSecretBox, secretsKeyFromBytes } from '../webhooks/index.js';
import { createFakeClock } from '../testing/fake-clock.js';
import { createInMemorySessionCredentialRepository } from '../testing/in-memory-session-credential-repository.js';
import { createInMemoryUnitOfWork } from '../testing/in-memory-unit-of-work.js';
import { aCustomer, anInstance } from '../testing/fixtures.js';
import { createResealSessionCredentials } from './reseal-session-credentials.js';
import { createSessionCredentialStore } from './session-credential-store.js';

async function setup() {
  const clock = createFakeClock();
  const uow = createInMemoryUnitOfWork({ clock });
  const repository = createInMemorySessionCredentialRepository(uow.state);
  const customer = await uow.repos.customers.create(aCustomer());
  const instance = await uow.repos.instances.create(anInstance(customer.id));
  const oldKey = secretsKeyFromBytes(randomBytes(32));
  const newKey = secretsKeyFromBytes(randomBytes(32));
  return { clock, uow, repository, instanceId: instance.id, oldKey, newKey };
}

describe('the session credential store', () => {
  it('stores only sealed values, bound to their instance and name, and reads them back', async () => {
    const { clock, repository, instanceId, oldKey } = await setup();
    const store = createSessionCredentialStore({ repository, secretBox: createSecretBox({ current: oldKey }), clock });
    await store.write(instanceId, new Map([['creds', '{"me":{"id":"491@s.whatsapp.net"}}'], ['pre-key/1', '{"k":1}']]));
    const stored = await repository.list(instanceId);
    expect(JSON.stringify(stored)).not.toContain('whatsapp.net');
    expect(await store.read(instanceId)).toEqual(new Map([['creds', '{"me":{"id":"491@s.whatsapp.net"}}'], ['pre-key/1', '{"k":1}']]));
    // A value copied onto another entry does not open.
    await repository.write(instanceId, [{ name: 'pre-key/2', sealed: stored[0]!.sealed }], null, clock.now());
    await expect(store.read(instanceId)).rejects.toThrow(/integrity/);
  });

  it('refuses to write for a node whose lease was taken over', async () => {
    const { clock, uow, repository, instanceId, oldKey } = await setup();
    const lease = (await uow.repos.leases.acquire(instanceId, 'node_a', { at: clock.now(), until: new Date(clock.now().getTime() + 1_000) }))!;
    const fence = { instanceId, nodeId: 'node_a', epoch: lease.epoch };
    const store = createSessionCredentialStore({ repository, secretBox: createSecretBox({ current: oldKey }), clock, fenceOf: () => fence });
    await store.write(instanceId, new Map([['creds', '"1"']]));
    clock.advance(1_000);
    await uow.repos.leases.acquire(instanceId, 'node_b', { at: clock.now(), until: new Date(clock.now().getTime() + 1_000) });
    await expect(store.write(instanceId, new Map([['creds', '"2"']]))).rejects.toMatchObject({ code: 'unavailable' });
    expect(await store.read(instanceId)).toEqual(new Map([['creds', '"1"']]));
  });

  it('re-seals every entry under the new key once, and the new key alone opens them afterwards', async () => {
    const { clock, repository, instanceId, oldKey, newKey } = await setup();
    await createSessionCredentialStore({ repository, secretBox: createSecretBox({ current: oldKey }), clock }).write(
      instanceId,
      new Map([['creds', '"c"'], ['session/a', '"s"']]),
    );
    const rotating = createSecretBox({ current: newKey, previous: oldKey });
    expect(await createResealSessionCredentials({ repository, secretBox: rotating })()).toMatchObject({ resealed: 2 });
    expect(await createResealSessionCredentials({ repository, secretBox: rotating })()).toMatchObject({ resealed: 0 });
    const afterRotation = createSessionCredentialStore({ repository, secretBox: createSecretBox({ current: newKey }), clock });
    expect(await afterRotation.read(instanceId)).toEqual(new Map([['creds', '"c"'], ['session/a', '"s"']]));
  });
});
