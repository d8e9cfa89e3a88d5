import { describe, expect, it } from 'vitest';
import { createContactUseCases } from './create-contact-use-cases.js';
import { createMediaStore, createMessageUseCases, createOutboxDrainer } from '../messages/index.js';
import { codeOf } from '../testing/use-case-harness.js';
import { createRecordingQueue } from '../testing/message-test-harness.js';
import { createSessionHarness } from '../testing/session-manager-harness.js';
import { aCustomer, anInstance, aPrincipal } from '../testing/fixtures.js';

/** A connected sandbox instance (the in-memory simulated phone), the session manager and the contact use cases. */
async function setup() {
  const h = createSessionHarness();
  let contacts!: ReturnType<typeof createContactUseCases>;
  const manager = h.startManager({
    lookupDeadlineMs: 50,
    onLidMapping: (instance, mapping) => contacts.learnLidMapping(instance, mapping).then(() => undefined),
  });
  const queue = createRecordingQueue();
  const messages = createMessageUseCases({ uow: h.uow, clock: h.clock, outboxQueue: queue, outbound: { checkUrl: async () => { throw new Error('unused'); } } });
  const media = createMediaStore({ clock: h.clock, maxBytes: 1_000_000, ttlMs: 60_000 });
  contacts = createContactUseCases({
    uow: h.uow,
    clock: h.clock,
    events: h.recorder,
    lookups: manager,
    stageOutboxAction: messages.stageOutboxAction,
    outbound: { download: async () => ({ kind: 'http_status', status: 404, message: 'HTTP 404', durationMs: 1 }) },
    media: { store: media, key: new Uint8Array(32).fill(7), publicUrl: 'https://api.example.com/' },
  });
  const instance = await h.newInstance('sandbox');
  await manager.connect(h.principal, instance.id);
  await manager.sandboxScan(h.principal, instance.id);
  await h.settled();
  const drain = createOutboxDrainer({ uow: h.uow, clock: h.clock, events: h.recorder, sender: manager, outbound: { download: async () => { throw new Error('unused'); } }, options: { minGapMs: 0 } });
  return { h, manager, contacts, instance, drain, queue, media };
}

const resolvedEvents = (h: ReturnType<typeof createSessionHarness>) => h.recorder.envelopes().filter((e) => e.event === 'contact.resolved');

describe('contacts on a sandbox instance', () => {
  it('checks numbers by the sandbox rules, in the order asked, and learns their LIDs', async () => {
    const { h, contacts, instance } = await setup();
    const checks = await contacts.checkContacts(h.principal, { instanceId: instance.id, phoneNumbers: ['4915112345678', '4915112345670'] });
    expect(checks).toEqual([
      { phoneNumber: '4915112345678', exists: true, jid: '4915112345678@s.whatsapp.net', lid: '8765432115194@lid' },
      { phoneNumber: '4915112345670', exists: false, jid: null, lid: null },
    ]);
    expect(resolvedEvents(h).map((e) => e.data)).toEqual([{ lid: '8765432115194@lid', phone_number: '4915112345678', jid: '4915112345678@s.whatsapp.net' }]);
  });

  it('refuses 0 or 51 numbers and malformed ones before asking WhatsApp', async () => {
    const { h, contacts, instance } = await setup();
    const ask = (phoneNumbers: string[]) => codeOf(contacts.checkContacts(h.principal, { instanceId: instance.id, phoneNumbers }));
    expect(await ask([])).toBe('invalid_input');
    expect(await ask(Array.from({ length: 51 }, (_, i) => `49151000000${String(i).padStart(2, '0')}`))).toBe('invalid_input');
    expect(await ask(['+4915112345678'])).toBe('invalid_input');
  });

  it("answers not_found for another customer's instance and forbidden for a key bound to another instance", async () => {
    const { h, contacts, instance } = await setup();
    const stranger = aPrincipal((await h.uow.repos.customers.create(aCustomer())).id);
    expect(await codeOf(contacts.getContact(stranger, { instanceId: instance.id, contact: '4915112345678' }))).toBe('not_found');
    const bound = aPrincipal(h.customer.id, { instanceId: (await h.newInstance('sandbox')).id });
    expect(await codeOf(contacts.getBlocklist(bound, { instanceId: instance.id }))).toBe('forbidden');
  });

  it('answers not_connected without a live session and upstream_timeout when WhatsApp stays silent', async () => {
    const { h, contacts, instance } = await setup();
    expect(await codeOf(contacts.getContact(h.principal, { instanceId: instance.id, contact: '4915112347777' }))).toBe('upstream_timeout');
    const idle = await h.uow.repos.instances.create(anInstance(h.customer.id, { kind: 'sandbox', status: 'connected' }));
    expect(await codeOf(contacts.checkContacts(h.principal, { instanceId: idle.id, phoneNumbers: ['4915112345678'] }))).toBe('not_connected');
  });

  it('resolves a LID once through the session, then from what was learnt, firing contact.resolved once', async () => {
    const { h, manager, contacts, instance } = await setup();
    expect(await contacts.resolveLid(h.principal, { instanceId: instance.id, lid: '8765432115194@lid' })).toEqual({ lid: '8765432115194@lid', phoneNumber: '4915112345678' });
    await manager.stop(instance.id, { logout: false });
    expect(await contacts.resolveLid(h.principal, { instanceId: instance.id, lid: '8765432115194' })).toEqual({ lid: '8765432115194@lid', phoneNumber: '4915112345678' });
    expect(resolvedEvents(h)).toHaveLength(1);
    expect(await codeOf(contacts.resolveLid(h.principal, { instanceId: instance.id, lid: '1234@lid' }))).toBe('not_connected');
    expect(await codeOf(contacts.resolveLid(h.principal, { instanceId: instance.id, lid: 'abc@lid' }))).toBe('invalid_input');
  });

  it('learns the phone number behind a LID-only sender a moment after the message', async () => {
    const { h, manager, instance } = await setup();
    await manager.sandboxInbound(h.principal, instance.id, { from: '8765432115194@lid', content: { type: 'text', text: 'hi' } });
    await h.settled();
    await h.settled();
    expect(h.inbound.at(-1)?.author).toEqual({ phoneNumber: null, lid: '8765432115194@lid' });
    expect(resolvedEvents(h).map((e) => e.data)).toEqual([{ lid: '8765432115194@lid', phone_number: '4915112345678', jid: '4915112345678@s.whatsapp.net' }]);
  });

  it('gets a contact with both addresses, its business profile, and its picture behind a signed media URL', async () => {
    const { h, contacts, instance } = await setup();
    const id = { instanceId: instance.id };
    expect(await contacts.getContact(h.principal, { ...id, contact: '8765432115194@lid' })).toEqual({
      jid: '4915112345678@s.whatsapp.net',
      phoneNumber: '4915112345678',
      lid: '8765432115194@lid',
      pushName: null,
      isBusiness: false,
    });
    expect(await codeOf(contacts.getContact(h.principal, { ...id, contact: '4915112345670' }))).toBe('not_found');
    expect(await contacts.getBusinessProfile(h.principal, { ...id, contact: '4915112345679' })).toMatchObject({ category: 'Testing' });
    expect(await codeOf(contacts.getBusinessProfile(h.principal, { ...id, contact: '4915112345678' }))).toBe('not_found');
    const picture = await contacts.getProfilePicture(h.principal, { ...id, contact: '4915112345671' });
    expect(picture.url).toMatch(/^https:\/\/api\.example\.com\/v1\/media\/[\w.-]+$/);
    expect(await contacts.getProfilePicture(h.principal, { ...id, contact: '4915112345668' })).toEqual({ url: null, expiresAt: null });
  });

  it('blocks and unblocks through the outbox, in acceptance order, once per Idempotency-Key', async () => {
    const { h, contacts, instance, drain } = await setup();
    const block = (contact: string, key?: string) => contacts.blockContact(h.principal, { instanceId: instance.id, contact, block: true, idempotencyKey: key });
    const first = await block('4915112345678', 'k1');
    expect(first.created).toBe(true);
    expect(first.action.id).toMatch(/^act_/);
    expect((await block('4915112345678', 'k1')).action.id).toBe(first.action.id);
    expect(await codeOf(block('4915112345679', 'k1'))).toBe('idempotency_conflict');
    await block('4915112345679');
    await contacts.blockContact(h.principal, { instanceId: instance.id, contact: '4915112345678', block: false });
    expect(await contacts.getBlocklist(h.principal, { instanceId: instance.id })).toEqual([]);
    while ((await drain(instance.id)) !== undefined);
    expect(await contacts.getBlocklist(h.principal, { instanceId: instance.id })).toEqual([
      { jid: '4915112345679@s.whatsapp.net', phoneNumber: '4915112345679', lid: null },
    ]);
    expect((await h.uow.repos.messages.list(h.customer.id, { limit: 10 })).data).toEqual([]);
    expect(await codeOf(block('+49'))).toBe('invalid_input');
  });
});
