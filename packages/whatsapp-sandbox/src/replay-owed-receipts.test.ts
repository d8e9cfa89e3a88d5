import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMessageStatusHandler, type Message, type MessageRepository, type SandboxSession, type SessionEvent } from '@whatisup/core';
import {
  aCustomer,
  anInstance,
  aNewMessage,
  createInMemoryUnitOfWork,
  createSessionHarness,
} from '@whatisup/core/testing';
import { until } from '@whatisup/test-infra';
import { replayOwedReceipts, type SandboxMessageSource } from './replay-owed-receipts.js';
import { createInMemorySandboxCredentialStore } from './sandbox-credential-store.js';
import { createSandboxSessionFactory } from './sandbox-session-factory.js';

/** Stages one message and takes it as far as `status`, which it reaches at `at`. */
async function messageAt(
  messages: MessageRepository,
  owner: { customerId: string; instanceId: string },
  status: Message['status'],
  at: Date,
): Promise<Message> {
  const staged = await messages.stage(aNewMessage(owner.customerId, owner.instanceId, { nextAttemptAt: new Date(0) }));
  if (staged.outcome !== 'staged') throw new Error('not staged');
  if (status === 'queued') return staged.message;
  const claim = await messages.claimNext(owner.instanceId, { now: at, until: new Date(at.getTime() + 60_000), token: staged.message.id });
  if (!claim.claimed || claim.message.id !== staged.message.id) throw new Error('not the head');
  const whatsappId = `WA-${staged.message.seq}`;
  const sent = await messages.markSent(staged.message.id, staged.message.id, { whatsappId, at });
  if (sent === null || sent === 'stale_fence') throw new Error('not sent');
  let message = sent;
  for (const next of ['delivered', 'read'] as const) {
    if (message.status === status) break;
    const moved = await messages.markStatus(owner.instanceId, whatsappId, { status: next, at, participant: null });
    if (moved === null || moved === 'stale_fence') throw new Error('no such message');
    message = moved.message;
  }
  return message;
}

describe('a sandbox session that connects with receipts still owed (fake timers)', () => {
  const T0 = new Date('2026-05-01T12:00:00.000Z');
  const DELAY = 1_000;
  const open: SandboxSession[] = [];

  beforeEach(() => {
    vi.useFakeTimers({ now: T0 });
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((session) => session.close()));
    vi.useRealTimers();
  });

  async function setup() {
    const uow = createInMemoryUnitOfWork();
    const customer = await uow.repos.customers.create(aCustomer());
    const instance = await uow.repos.instances.create(anInstance(customer.id, { kind: 'sandbox', status: 'connected' }));
    const owner = { customerId: customer.id, instanceId: instance.id };
    let source: SandboxMessageSource = uow.repos.messages;
    const factory = createSandboxSessionFactory({
      credentials: createInMemorySandboxCredentialStore([instance.id]),
      timings: { autoScanMs: null, resumeDelayMs: 1, receiptDelayMs: DELAY },
      clock: { now: () => new Date() }, // follows the faked Date
      messages: { listAwaitingReceipts: (...args) => source.listAwaitingReceipts(...args) },
    });
    const events: SessionEvent[] = [];
    const connect = async () => {
      const session = factory.createSession({ instanceId: instance.id, listener: (event) => events.push(event) });
      open.push(session);
      await session.connect();
      await vi.advanceTimersByTimeAsync(1); // resumeDelayMs: connected, and the owed receipts are read
      return session;
    };
    const receipts = () => events.flatMap((event) => (event.type === 'message_status' ? [[event.update.whatsappId, event.update.status, event.update.at.getTime() - T0.getTime()]] : []));
    const setSource = (next: SandboxMessageSource) => void (source = next);
    return { messages: uow.repos.messages, owner, events, connect, receipts, setSource };
  }

  it('emits overdue receipts at once, delivered before read, and nothing for read or queued messages', async () => {
    const { messages, owner, connect, receipts, events } = await setup();
    const longAgo = new Date(T0.getTime() - 60_000);
    const sent = await messageAt(messages, owner, 'sent', longAgo);
    const delivered = await messageAt(messages, owner, 'delivered', longAgo);
    await messageAt(messages, owner, 'read', longAgo);
    await messageAt(messages, owner, 'queued', longAgo);

    await connect();
    await vi.advanceTimersByTimeAsync(5); // zero-delay timers fire on the next millisecond
    expect(events[1]).toMatchObject({ type: 'connected' });
    const emitted = receipts().map(([id, status]) => [id, status]);
    expect(emitted).toHaveLength(3);
    expect(emitted.filter(([id]) => id === sent.whatsappId)).toEqual([[sent.whatsappId, 'delivered'], [sent.whatsappId, 'read']]);
    expect(emitted.filter(([id]) => id === delivered.whatsappId)).toEqual([[delivered.whatsappId, 'read']]);
    expect(events.find((event) => event.type === 'message_status')).toMatchObject({ update: { chatId: '4915112345678@s.whatsapp.net' } });
    await vi.advanceTimersByTimeAsync(10 * DELAY);
    expect(receipts()).toHaveLength(3);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('keeps the timetable of a message sent just before the crash: delivered 2 delays after sent, read 1 after that', async () => {
    const { messages, owner, connect, receipts } = await setup();
    const sent = await messageAt(messages, owner, 'sent', new Date(T0.getTime() - 500));
    const delivered = await messageAt(messages, owner, 'delivered', new Date(T0.getTime() - 700));

    await connect();
    expect(receipts()).toEqual([]);
    await vi.advanceTimersByTimeAsync(300); // T0 + 301: past delivered-at + DELAY
    expect(receipts()).toEqual([[delivered.whatsappId, 'read', 300]]);
    await vi.advanceTimersByTimeAsync(DELAY + 200); // T0 + 1501: sent-at + 2 delays
    expect(receipts().slice(1)).toEqual([[sent.whatsappId, 'delivered', 1_500]]);
    await vi.advanceTimersByTimeAsync(DELAY); // T0 + 2501
    expect(receipts().slice(2)).toEqual([[sent.whatsappId, 'read', 2_500]]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('schedules nothing twice: a message this session sent itself is left to the send\'s own timers', async () => {
    const { messages, owner, connect, receipts, setSource } = await setup();
    await messageAt(messages, owner, 'sent', T0);
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    setSource({ listAwaitingReceipts: async (...args) => gate.then(() => messages.listAwaitingReceipts(...args)) });
    const session = await connect();
    // A send while the owed receipts are still being read; the drainer marks it sent before the read returns.
    const own = await session.send('4915112345678', { type: 'text', text: 'hi' });
    await messages.stage(aNewMessage(owner.customerId, owner.instanceId, { status: 'sent', whatsappId: own.whatsappId }));
    release();
    await vi.advanceTimersByTimeAsync(10 * DELAY);
    const seen = receipts().map(([id, status]) => `${id}/${status}`);
    expect(seen).toHaveLength(5); // the owed message's delivered and read; the send's sent, delivered and read
    expect(new Set(seen).size).toBe(5);
  });

  it('emits nothing after close, even with owed receipts pending', async () => {
    const { messages, owner, connect, receipts } = await setup();
    await messageAt(messages, owner, 'sent', T0);
    const session = await connect();
    await session.close();
    await vi.advanceTimersByTimeAsync(10 * DELAY);
    expect(receipts()).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('session manager resuming a sandbox instance after a crash', () => {
  it('brings its messages left sent or delivered to read, recording message.delivered and message.read', async () => {
    const store = createInMemorySandboxCredentialStore();
    const h = createSessionHarness({
      sandbox: ({ clock, uow }) =>
        createSandboxSessionFactory({
          credentials: store,
          clock,
          timings: { autoScanMs: null, resumeDelayMs: 1, receiptDelayMs: 1 },
          messages: uow.repos.messages,
        }),
    });
    // What a killed process leaves behind: a connected row, the pairing, and messages whose timers died.
    const instance = await h.newInstance('sandbox', { status: 'connected' });
    await store.save(instance.id);
    const owner = { customerId: h.customer.id, instanceId: instance.id };
    const now = h.clock.now();
    const owed = [
      await messageAt(h.uow.repos.messages, owner, 'sent', now),
      await messageAt(h.uow.repos.messages, owner, 'delivered', now),
      await messageAt(h.uow.repos.messages, owner, 'sent', now),
    ];

    const statuses = createMessageStatusHandler({ uow: h.uow, clock: h.clock, events: h.recorder });
    const manager = h.startManager({ onMessageStatus: statuses.handleMessageStatus });
    expect((await manager.resumeAll()).resumed).toEqual([instance.id]);
    const statusOf = async (id: string) => (await h.uow.repos.messages.findById(h.customer.id, id))?.status;
    await until(async () => (await Promise.all(owed.map((m) => statusOf(m.id)))).every((status) => status === 'read'));

    const events = h.eventsOf(instance.id).filter((e) => e.event.startsWith('message.'));
    const eventsFor = (id: string) => events.filter((e) => e.data['message_id'] === id).map((e) => e.event);
    expect(eventsFor(owed[0]!.id)).toEqual(['message.delivered', 'message.read']);
    expect(eventsFor(owed[1]!.id)).toEqual(['message.read']); // its message.delivered was recorded before the crash
    expect(eventsFor(owed[2]!.id)).toEqual(['message.delivered', 'message.read']);
    expect(await h.status(instance.id)).toBe('connected');
  });
});

describe('replayOwedReceipts', () => {
  it('reads the owed messages page by page, in seq order, until a short page', async () => {
    const uow = createInMemoryUnitOfWork();
    const customer = await uow.repos.customers.create(aCustomer());
    const instance = await uow.repos.instances.create(anInstance(customer.id, { kind: 'sandbox', status: 'connected' }));
    const owner = { customerId: customer.id, instanceId: instance.id };
    const at = new Date('2026-05-01T12:00:00.000Z');
    const owed: Message[] = [];
    for (let i = 0; i < 5; i += 1) owed.push(await messageAt(uow.repos.messages, owner, i % 2 === 0 ? 'sent' : 'delivered', at));
    const pages: (number | null)[] = [];
    const emitted: string[] = [];
    await replayOwedReceipts({
      instanceId: instance.id,
      messages: {
        listAwaitingReceipts: (instanceId, page) => {
          pages.push(page.afterSeq);
          return uow.repos.messages.listAwaitingReceipts(instanceId, page);
        },
      },
      receiptDelayMs: 10,
      now: () => new Date(at.getTime() + 60_000),
      later: (_ms, step) => void step(),
      emit: (update) => emitted.push(`${update.whatsappId}/${update.status}`),
      scheduled: new Set(),
      isOpen: () => true,
      pageSize: 2,
    });
    expect(pages).toEqual([null, owed[1]!.seq, owed[3]!.seq]);
    expect(emitted).toEqual(
      owed.flatMap((m) => (m.status === 'sent' ? [`${m.whatsappId}/delivered`, `${m.whatsappId}/read`] : [`${m.whatsappId}/read`])),
    );
  });
});
