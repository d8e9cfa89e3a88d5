/*
 * Test support for the session manager tests: a manager over in-memory stores, the sandbox with tiny
 * delays, a scriptable fake for `whatsapp` instances, and a recorder that keeps committed events. The
 * stores outlive a manager, so `restart()` plays a process restart against the same "database" and
 * credential stores.
 */
import { afterEach } from 'vitest';
import type { Principal } from '../shared/actor.js';
import type { Instance, InstanceKind } from '../instances/instance.js';
import type { InboundMessage, MessageStatusUpdate } from '../sessions/whatsapp-content.js';
import { createInMemorySandboxCredentialStore } from '@SANDBOX/sandbox-credential-store.ts';
import { createSandboxSessionFactory } from '@SANDBOX/sandbox-session-factory.ts';
import { createFakeClock } from './fake-clock.js';
import { createFakeWhatsAppSessionFactory } from './fake-whatsapp-session-factory.js';
import { aCustomer, anInstance, aPrincipal } from './fixtures.js';
import { createInMemoryEventRecorder } from './in-memory-event-recorder.js';
import { createInMemoryUnitOfWork } from './in-memory-unit-of-work.js';
import { createSessionManager, type SessionManager, type SessionManagerDeps } from '../sessions/session-manager.js';

const managers: SessionManager[] = [];
afterEach(async () => {
  await Promise.all(managers.splice(0).map((manager) => manager.closeAll()));
});

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function until(predicate: () => boolean | Promise<boolean>, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(2);
  }
}

export function createSessionHarness(options: { maxSessions?: number; autoScanMs?: number | null } = {}) {
  const clock = createFakeClock();
  const uow = createInMemoryUnitOfWork({ clock });
  const recorder = createInMemoryEventRecorder({ clock });
  const sandboxStore = createInMemorySandboxCredentialStore();
  const whatsapp = createFakeWhatsAppSessionFactory();
  const inbound: InboundMessage[] = [];
  const statuses: MessageStatusUpdate[] = [];
  const errors: unknown[] = [];

  function startManager(overrides: Partial<SessionManagerDeps> = {}): SessionManager {
    const manager = createSessionManager({
      uow,
      events: recorder,
      clock,
      factories: {
        whatsapp,
        sandbox: createSandboxSessionFactory({
          credentials: sandboxStore,
          clock,
          timings: { autoScanMs: options.autoScanMs ?? null, resumeDelayMs: 1, receiptDelayMs: 1 },
        }),
      },
      renderQrPng: async (text) => `data:image/png;base64,${Buffer.from(text).toString('base64')}`,
      maxSessions: options.maxSessions ?? 10,
      qrWaitMs: 500,
      resumeIntervalMs: 1,
      onInbound: (_instance, message) => void inbound.push(message),
      onMessageStatus: (_instance, update) => void statuses.push(update),
      onError: (error) => void errors.push(error),
      ...overrides,
    });
    managers.push(manager);
    return manager;
  }

  const customer = aCustomer();
  const principal: Principal = aPrincipal(customer.id);
  const ready = uow.repos.customers.create(customer);

  async function newInstance(kind: InstanceKind, overrides: Partial<Instance> = {}): Promise<Instance> {
    await ready;
    return uow.repos.instances.create(anInstance(customer.id, { kind, ...overrides }));
  }

  const status = async (id: string) => (await uow.repos.instances.findById(customer.id, id))?.status;
  const eventsOf = (id: string) => recorder.envelopes().filter((envelope) => envelope.instance_id === id);
  const audit = async (id: string) => (await uow.repos.audit.list(customer.id, { limit: 100 }, { instanceId: id })).data.reverse();

  return { clock, uow, recorder, whatsapp, sandboxStore, inbound, statuses, errors, principal, customer, startManager, newInstance, status, eventsOf, audit };
}
