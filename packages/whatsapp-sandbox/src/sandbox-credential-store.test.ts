import { describe, expect, it } from 'vitest';
import type { InstanceStatus } from '@whatisup/core';
import { aCustomer, anInstance, createInMemoryUnitOfWork } from '@whatisup/core/testing';
import { createInstanceRowSandboxCredentialStore } from './sandbox-credential-store.js';
import { createSandboxSessionFactory } from './sandbox-session-factory.js';

describe('instance-row sandbox credential store', () => {
  it('counts a sandbox instance as paired while its row is connected or reconnecting, and nothing else', async () => {
    const uow = createInMemoryUnitOfWork();
    const customer = await uow.repos.customers.create(aCustomer());
    const make = (status: InstanceStatus, kind: 'sandbox' | 'whatsapp' = 'sandbox', deleted = false) =>
      uow.repos.instances.create(
        anInstance(customer.id, { kind, status, phoneNumber: '9990000000001', deletedAt: deleted ? new Date() : null }),
      );
    const connected = await make('connected');
    const reconnecting = await make('reconnecting');
    await make('connecting');
    await make('disconnected');
    await make('connected', 'whatsapp');
    const deleted = await make('connected');
    await uow.repos.instances.softDelete(customer.id, deleted.id, new Date());

    const factory = createSandboxSessionFactory({ credentials: createInstanceRowSandboxCredentialStore({ instances: uow.repos.instances }) });
    expect((await factory.listInstancesWithCredentials()).sort()).toEqual([connected.id, reconnecting.id].sort());
    expect(await factory.hasCredentials(connected.id)).toBe(true);
    await factory.wipeCredentials(connected.id);
    expect(await factory.hasCredentials(connected.id)).toBe(false);
  });
});
