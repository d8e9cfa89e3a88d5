/*
 * The WhatsApp session port's promises, run against every implementation: the sandbox adapter, the Baileys
 * adapter over a fake socket, the in-memory sandbox. What the other end does (the phone scanning the QR,
 * someone writing, WhatsApp's receipts) differs per implementation, so each test run supplies a driver
 * that plays that part: the sandbox's driver uses its controls, the Baileys driver emits socket events.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isDomainError } from '../../shared/index.js';
import {
  isWhatsAppSendError,
  type MessageDeliveryStatus,
  type WhatsAppSession,
  type WhatsAppSessionFactory,
  type SessionEventType,
  type SessionListener,
} from '../../sessions/index.js';
import { createSessionEventLog, type EventOf, type SessionEventLog } from './session-event-log.js';

/** Plays the other end of a session: the phone and WhatsApp. Each method resolves once the peer acted. */
export interface WhatsAppPeerDriver<S extends WhatsAppSession = WhatsAppSession> {
  /** The phone scans the QR the session shows: pairing completes (the session then reports `connected`). */
  completePairing(session: S): Promise<void>;
  /** Someone writes a text message to the instance's number. May reject when the session is not connected. */
  deliverInbound(session: S, message: { readonly from: string; readonly text: string }): Promise<void>;
  /** Someone reacts with `emoji` to a message the session sent them (`whatsappId`). */
  deliverReaction(session: S, reaction: { readonly from: string; readonly whatsappId: string; readonly emoji: string }): Promise<void>;
  /**
   * WhatsApp reports `status` for a message the session sent to `to` (an MSISDN). A peer that reports
   * receipts on its own (the sandbox: sent, delivered, read after every send) does nothing here.
   */
  ackSent(session: S, sent: { readonly whatsappId: string; readonly to: string; readonly status: MessageDeliveryStatus }): Promise<void>;
  /** Lets whatever the peer and the session scheduled on their own happen (timers, deferred steps). */
  settle(): Promise<void>;
  /** Someone (an MSISDN) calls the instance's number: a voice call starts ringing. Resolves with the call id. */
  ringCall(session: S, call: { readonly from: string }): Promise<string>;
}

export interface WhatsAppSessionContractSubject<S extends WhatsAppSession = WhatsAppSession> {
  readonly factory: Omit<WhatsAppSessionFactory, 'createSession'> & {
    createSession(options: { readonly instanceId: string; readonly listener: SessionListener }): S;
  };
  readonly driver: WhatsAppPeerDriver<S>;
  readonly cleanup?: (() => Promise<void>) | undefined;
}

/** Called before every test: a fresh factory (and peer) with no stored credentials. */
export type WhatsAppSessionContractSetup<S extends WhatsAppSession> = () => Promise<WhatsAppSessionContractSubject<S>>;

const MSISDN = /^[1-9]\d{7,14}$/;
const PEER = '4915100000001';

async function caught(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => new Error('expected a rejection'),
    (error: unknown) => error,
  );
}

/** The behaviour every `WhatsAppSession` (and its factory) must have. */
export function describeWhatsAppSessionContract<S extends WhatsAppSession>(
  name: string,
  setup: WhatsAppSessionContractSetup<S>,
): void {
  describe(`WhatsAppSession contract: ${name}`, () => {
    let subject: WhatsAppSessionContractSubject<S>;
    let opened: S[] = [];
    let counter = 0;
    beforeEach(async () => {
      subject = await setup();
      opened = [];
    });
    afterEach(async () => {
      await Promise.all(opened.map((session) => session.close()));
      await subject.cleanup?.();
    });

    const newInstanceId = () => `inst_contract${Date.now().toString(36)}${(counter += 1)}`;
    function open(instanceId: string): { session: S; log: SessionEventLog } {
      const log = createSessionEventLog();
      const session = subject.factory.createSession({ instanceId, listener: log.listener });
      opened.push(session);
      return { session, log };
    }
    /** Waits for an event after letting the peer do what it does on its own. */
    async function next<T extends SessionEventType>(
      log: SessionEventLog,
      type: T,
      match?: (event: EventOf<T>) => boolean,
    ): Promise<EventOf<T>> {
      await subject.driver.settle();
      return log.waitFor(type, match);
    }
    async function paired(instanceId = newInstanceId()) {
      const opening = open(instanceId);
      await opening.session.connect();
      await next(opening.log, 'qr');
      await subject.driver.completePairing(opening.session);
      const connected = await next(opening.log, 'connected');
      return { ...opening, instanceId, phoneNumber: connected.phoneNumber };
    }

    describe('pairing', () => {
      it('starts with connecting, then shows a QR when there are no credentials', async () => {
        const instanceId = newInstanceId();
        const { session, log } = open(instanceId);
        expect(session.status).toBe('idle');
        expect(session.instanceId).toBe(instanceId);
        await session.connect();
        const qr = await next(log, 'qr');
        expect(qr.qr.length).toBeGreaterThan(0);
        expect(log.types()[0]).toBe('connecting');
        expect(session.status).toBe('qr_required');
        expect(await subject.factory.hasCredentials(instanceId)).toBe(false);
      });

      it('completes pairing into connected with the phone number, and stores credentials', async () => {
        const { session, log, instanceId, phoneNumber } = await paired();
        expect(phoneNumber).toMatch(MSISDN);
        expect(session.status).toBe('connected');
        expect(log.types().filter((type) => type === 'connected')).toHaveLength(1);
        expect(await subject.factory.hasCredentials(instanceId)).toBe(true);
        expect(await subject.factory.listInstancesWithCredentials()).toContain(instanceId);
      });

      it('treats connect() as a no-op while pairing and while connected', async () => {
        const { session, log } = open(newInstanceId());
        await session.connect();
        await next(log, 'qr');
        await session.connect();
        await subject.driver.settle();
        expect(log.types().filter((type) => type === 'connecting')).toHaveLength(1);
        await subject.driver.completePairing(session);
        await next(log, 'connected');
        const before = log.events.length;
        await session.connect();
        await subject.driver.settle();
        expect(log.events.slice(before)).toEqual([]);
        expect(session.status).toBe('connected');
      });

      it('hands out an 8-character pairing code while a QR shows, and reports it as an event', async () => {
        const { session, log } = open(newInstanceId());
        await session.connect();
        await next(log, 'qr');
        const code = await session.requestPairingCode('4915112345678');
        expect(code).toMatch(/^[A-Z0-9]{8}$/);
        expect((await next(log, 'pairing_code')).code).toBe(code);
      });

      it('resumes from stored credentials without a QR, with the same phone number', async () => {
        const first = await paired();
        await first.session.close();
        const { session, log } = open(first.instanceId);
        await session.connect();
        const connected = await next(log, 'connected');
        expect(connected.phoneNumber).toBe(first.phoneNumber);
        expect(log.types()).not.toContain('qr');
        expect(session.status).toBe('connected');
      });
    });

    describe('messages', () => {
      it('sends: resolves with a WhatsApp id, then status updates for that message arrive', async () => {
        const { session, log } = await paired();
        const { whatsappId } = await session.send(PEER, { type: 'text', text: 'hello' });
        expect(whatsappId).toMatch(/^[A-Za-z0-9]+$/);
        for (const status of ['delivered', 'read'] as const) {
          await subject.driver.ackSent(session, { whatsappId, to: PEER, status });
          const update = await next(log, 'message_status', (event) => event.update.whatsappId === whatsappId && event.update.status === status);
          expect(update.update.chatId).toBe(`${PEER}@s.whatsapp.net`);
          expect(update.update.at).toBeInstanceOf(Date);
        }
      });

      it('delivers an inbound message to the listener as a message event', async () => {
        const { session, log } = await paired();
        await subject.driver.deliverInbound(session, { from: PEER, text: 'hi there' });
        const { message } = await next(log, 'message');
        expect(message).toMatchObject({
          from: PEER,
          chatId: `${PEER}@s.whatsapp.net`,
          isGroup: false,
          sender: null,
          fromMe: false,
          body: { type: 'text', text: 'hi there' },
          replyTo: null,
        });
        expect(message.messageId.length).toBeGreaterThan(0);
        expect(message.receivedAt).toBeInstanceOf(Date);
        expect(message.author?.phoneNumber ?? message.from).toBe(PEER);
      });
    });

    describe('changes to messages', () => {
      it('delivers a reaction to a message it sent as a message_change naming that message, never as a message', async () => {
        const { session, log } = await paired();
        const { whatsappId } = await session.send(PEER, { type: 'text', text: 'lunch?' });
        await subject.driver.deliverReaction(session, { from: PEER, whatsappId, emoji: '👍' });
        const { change } = await next(log, 'message_change');
        expect(change).toMatchObject({
          kind: 'reaction',
          emoji: '👍',
          target: { whatsappId, chatId: `${PEER}@s.whatsapp.net`, fromMe: true },
          isGroup: false,
          fromMe: false,
          author: { phoneNumber: PEER },
        });
        expect(change.changeId.length).toBeGreaterThan(0);
        expect(change.at).toBeInstanceOf(Date);
        expect(log.events.some((event) => event.type === 'message')).toBe(false);
      });
    });

    describe('lookups and actions', () => {
      it('performs an action and answers a lookup while connected, and refuses both with not_connected once closed', async () => {
        const { session } = await paired();
        await session.perform({ type: 'presence', state: 'available', chat: null });
        await session.perform({ type: 'block', address: PEER });
        expect(await session.directory.blocklist()).toEqual([`${PEER}@s.whatsapp.net`]);
        await session.close();
        for (const refused of [await caught(session.perform({ type: 'unblock', address: PEER })), await caught(session.directory.blocklist())]) {
          expect(isWhatsAppSendError(refused) && refused.code).toBe('not_connected');
        }
      });

      it('creates a group whose participants the group then lists, renames it through perform, and refuses with not_connected once closed', async () => {
        const { session } = await paired();
        const created = await session.groups.create('Contract', [PEER]);
        expect(created.group.id).toMatch(/@g\.us$/);
        expect(created.results).toEqual([{ jid: `${PEER}@s.whatsapp.net`, status: 'added', reason: null, code: null }]);
        const group = await session.groups.get(created.group.id);
        expect(group.participants.map((p) => p.phoneNumber)).toContain(PEER);
        await session.perform({ type: 'group_update', groupId: created.group.id, changes: { subject: 'Renamed' } });
        const unknown = await caught(session.groups.get('120363000000000001@g.us'));
        expect(isDomainError(unknown) && unknown.code).toBe('not_found');
        await session.close();
        const refused = await caught(session.groups.list());
        expect(isWhatsAppSendError(refused) && refused.code).toBe('not_connected');
      });

      it('archives and deletes a chat, each reported back as a chat event naming exactly that change', async () => {
        const { session, log } = await paired();
        const chat = `${PEER}@s.whatsapp.net`;
        await session.perform({ type: 'modify_chat', chat, archived: true });
        expect((await next(log, 'chat_update')).update).toEqual({ chatId: chat, archived: true });
        await session.perform({ type: 'delete_chat', chat });
        expect((await next(log, 'chat_delete')).chatId).toBe(chat);
      });
    });

    describe('calls', () => {
      it('reports a ringing call as a call event with the caller, and declines it through perform', async () => {
        const { session, log } = await paired();
        const callId = await subject.driver.ringCall(session, { from: PEER });
        const { call } = await next(log, 'call', (event) => event.call.callId === callId);
        expect(call).toMatchObject({ callId, status: 'offer', isVideo: false, isGroup: false, groupId: null });
        expect(call.author?.phoneNumber ?? call.from).toContain(PEER);
        expect(call.at).toBeInstanceOf(Date);
        await session.perform({ type: 'reject_call', callId, from: call.from });
      });
    });

    describe('close and logout', () => {
      it('close() does not log out: the credentials stay and the status is closed', async () => {
        const { session, instanceId } = await paired();
        await session.close();
        expect(session.status).toBe('closed');
        expect(await subject.factory.hasCredentials(instanceId)).toBe(true);
      });

      it('logout() wipes the credentials: the next session shows a QR again', async () => {
        const { session, instanceId } = await paired();
        await session.logout();
        expect(session.status).toBe('closed');
        expect(await subject.factory.hasCredentials(instanceId)).toBe(false);
        expect(await subject.factory.listInstancesWithCredentials()).not.toContain(instanceId);
        const again = open(instanceId);
        await again.session.connect();
        await next(again.log, 'qr');
      });

      it('wipeCredentials() forgets a pairing, and is a no-op for an instance without one', async () => {
        const { session, instanceId } = await paired();
        await session.close();
        await subject.factory.wipeCredentials(instanceId);
        expect(await subject.factory.hasCredentials(instanceId)).toBe(false);
        await subject.factory.wipeCredentials(newInstanceId());
      });

      it.each(['close', 'logout'] as const)('delivers no event after %s(), whatever the peer still does', async (how) => {
        const { session, log } = await paired();
        const { whatsappId } = await session.send(PEER, { type: 'text', text: 'in flight' });
        await session[how]();
        const after = log.events.length;
        await subject.driver.deliverInbound(session, { from: PEER, text: 'too late' }).catch(() => undefined);
        await subject.driver.ackSent(session, { whatsappId, to: PEER, status: 'read' }).catch(() => undefined);
        await subject.driver.settle();
        expect(log.events.slice(after)).toEqual([]);
      });
    });

    describe('errors', () => {
      it('refuses to send before connected with the retryable not_connected', async () => {
        const { session } = open(newInstanceId());
        const error = await caught(session.send(PEER, { type: 'text', text: 'early' }));
        expect(isWhatsAppSendError(error) && { code: error.code, retryable: error.retryable }).toEqual({
          code: 'not_connected',
          retryable: true,
        });
      });

      it('refuses a malformed recipient with the permanent invalid_recipient', async () => {
        const { session } = await paired();
        const error = await caught(session.send('not-a-number', { type: 'text', text: 'x' }));
        expect(isWhatsAppSendError(error) && { code: error.code, retryable: error.retryable }).toEqual({
          code: 'invalid_recipient',
          retryable: false,
        });
      });

      it('refuses a pairing code before connect, and for a malformed number, with domain errors', async () => {
        const { session, log } = open(newInstanceId());
        expect(isDomainError(await caught(session.requestPairingCode('4915112345678')), 'invalid_lifecycle_transition')).toBe(true);
        await session.connect();
        await next(log, 'qr');
        expect(isDomainError(await caught(session.requestPairingCode('+49 151 1234')), 'invalid_input')).toBe(true);
      });

      it('refuses a pairing code once paired with invalid_lifecycle_transition', async () => {
        const { session } = await paired();
        expect(isDomainError(await caught(session.requestPairingCode('4915112345678')), 'invalid_lifecycle_transition')).toBe(true);
      });

      it.each(['close', 'logout'] as const)('refuses connect() after %s() with invalid_lifecycle_transition', async (how) => {
        const { session } = open(newInstanceId());
        await session.connect();
        await session[how]();
        expect(isDomainError(await caught(session.connect()), 'invalid_lifecycle_transition')).toBe(true);
        const sendError = await caught(session.send(PEER, { type: 'text', text: 'x' }));
        expect(isWhatsAppSendError(sendError) && sendError.code).toBe('not_connected');
      });
    });
  });
}
