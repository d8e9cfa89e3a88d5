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
    // Logout moves the row out of connected in the same request that wipes: the row is what counts.
    await factory.wipeCredentials(connected.id);
    await uow.repos.instances.updateStatus(customer.id, connected.id, ['connected'], { status: 'disconnected', statusReason: 'logout', at: new Date() });
    expect(await factory.hasCredentials(connected.id)).toBe(false);
  });

  it('answers from the rows every time, so two processes over one database see the pairings and logouts of the other', async () => {
    const uow = createInMemoryUnitOfWork();
    const customer = await uow.repos.customers.create(aCustomer());
    const instance = await uow.repos.instances.create(anInstance(customer.id, { kind: 'sandbox', status: 'connected', phoneNumber: '9990000000001' }));
    const store = () => createInstanceRowSandboxCredentialStore({ instances: uow.repos.instances });
    const [here, there] = [createSandboxSessionFactory({ credentials: store() }), createSandboxSessionFactory({ credentials: store() })];
    expect(await here.hasCredentials(instance.id)).toBe(true);
    expect(await there.hasCredentials(instance.id)).toBe(true);
    // Logged out through `there`: the row says so at once.
    await there.wipeCredentials(instance.id);
    await uow.repos.instances.updateStatus(customer.id, instance.id, ['connected'], { status: 'disconnected', statusReason: 'logout', at: new Date() });
    expect(await here.hasCredentials(instance.id)).toBe(false);
    // Paired again through `here`: `there` sees it too.
    await uow.repos.instances.updateStatus(customer.id, instance.id, ['disconnected'], { status: 'connected', statusReason: null, at: new Date() });
    expect(await there.hasCredentials(instance.id)).toBe(true);
    expect(await here.listInstancesWithCredentials()).toEqual([instance.id]);
  });
});

describe('a sandbox session connecting over the instance-row store', () => {
  it("reads its own row, not every pairing, so a restart that connects N instances reads N rows and not N²", async () => {
    const uow = createInMemoryUnitOfWork();
    const customer = await uow.repos.customers.create(aCustomer());
    const make = (status: InstanceStatus) =>
      uow.repos.instances.create(anInstance(customer.id, { kind: 'sandbox', status, phoneNumber: '9990000000001' }));
    const paired = await make('reconnecting');
    await make('connected');
    const unpaired = await make('connecting');
    const reads = { listByStatus: 0, findById: 0 };
    const instances = {
      ...uow.repos.instances,
      listByStatus: (...args: Parameters<typeof uow.repos.instances.listByStatus>) => ((reads.listByStatus += 1), uow.repos.instances.listByStatus(...args)),
      findById: (...args: Parameters<typeof uow.repos.instances.findById>) => ((reads.findById += 1), uow.repos.instances.findById(...args)),
    };
    const factory = createSandboxSessionFactory({
      credentials: createInstanceRowSandboxCredentialStore({ instances }),
      timings: { autoScanMs: null, resumeDelayMs: 1, receiptDelayMs: 1 },
    });
    const connect = async (instanceId: string) => {
      const events: string[] = [];
      let settled!: () => void;
      const done = new Promise<void>((resolve) => (settled = resolve));
      const session = factory.createSession({
        instanceId,
        customerId: customer.id,
        listener: (event) => {
          events.push(event.type);
          if (event.type === 'connected' || event.type === 'qr') settled();
        },
      });
      await session.connect();
      await done;
      await session.close();
      return events;
    };
    expect(await connect(paired.id)).toEqual(['connecting', 'connected']);
    expect(await connect(unpaired.id)).toEqual(['connecting', 'qr']);
    expect(reads).toEqual({ listByStatus: 0, findById: 2 });
  });
});
