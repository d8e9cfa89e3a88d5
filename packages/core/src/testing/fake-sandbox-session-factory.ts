/*
 * An in-memory simulated phone for tests of code above the sandbox port (the session manager, the sandbox
 * routes), standing in for @whatisup/whatsapp-sandbox as in-memory repositories stand in for Postgres.
 * It answers like the real one but with no timers: `connect()` shows a QR at once (or, when paired,
 * reports connected on the next tick), only `scan()` pairs, and sending reports no receipts unless asked
 * to (`reportReceipts`: sent, delivered and read together on the next turn of the event loop, as the real
 * one reports them `receiptDelayMs` apart). Injected messages go through the port's own conversion, so they
 * look exactly like the real sandbox's.
 */
import { DomainError, systemClock, type Clock } from '../shared/index.js';
import {
  sandboxMessageId,
  toSandboxInboundMessage,
  toSandboxChangeEvent,
  isWhatsAppAddress,
  toChatJid,
  createSandboxDirectory,
  createSandboxCalls,
  STATUS_BROADCAST_JID,
  createSandboxGroups,
  isGroupAction,
  performGroupAction,
  sandboxPhoneOfLid,
  WhatsAppSendError,
  type SandboxSession,
  type SandboxSessionFactory,
  type SessionEvent,
  type SessionListener,
  type SessionStatus,
} from '../sessions/index.js';

/** The phone number every fake sandbox session reports once paired (the sandbox's shape: 999 + 10 digits). */
export const FAKE_SANDBOX_PHONE_NUMBER = '9990000000001';

export interface FakeSandboxSessionFactory extends SandboxSessionFactory {
  /** Instance ids that are paired: `scan()` adds, `logout()` and wipes remove; a test may add its own. */
  readonly paired: Set<string>;
}

export interface FakeSandboxSessionFactoryOptions {
  readonly clock?: Clock;
  /** Report sent, delivered and read after every send, as the real sandbox does; off by default. */
  readonly reportReceipts?: boolean;
}

const MSISDN = /^[1-9]\d{7,14}$/;

export function createFakeSandboxSessionFactory(deps: FakeSandboxSessionFactoryOptions = {}): FakeSandboxSessionFactory {
  const clock = deps.clock ?? systemClock;
  const paired = new Set<string>();

  function createSession({ instanceId, listener }: { instanceId: string; listener: SessionListener }): SandboxSession {
    let status: SessionStatus = 'idle';
    const emit = (event: SessionEvent) => listener(event);
    const directory = createSandboxDirectory({ isConnected: () => status === 'connected' });
    const calls = createSandboxCalls();
    const groups = createSandboxGroups({
      isConnected: () => status === 'connected',
      ownPhone: () => FAKE_SANDBOX_PHONE_NUMBER,
      report: (event) => setImmediate(() => status === 'connected' && emit(event)),
      now: () => clock.now(),
    });
    const connected = () => {
      status = 'connected';
      emit({ type: 'connected', phoneNumber: FAKE_SANDBOX_PHONE_NUMBER });
    };
    return {
      instanceId,
      get status() {
        return status;
      },
      async connect() {
        if (status === 'closed') throw new DomainError('invalid_lifecycle_transition', 'This sandbox session was closed.');
        if (status !== 'idle' && status !== 'disconnected') return;
        status = 'connecting';
        emit({ type: 'connecting' });
        if (paired.has(instanceId)) {
          queueMicrotask(() => status === 'connecting' && connected());
          return;
        }
        status = 'qr_required';
        emit({ type: 'qr', qr: `2@FAKESANDBOX${instanceId},a,b,c` });
      },
      async scan() {
        if (status !== 'qr_required') {
          throw new DomainError('invalid_lifecycle_transition', `There is no QR to scan: the sandbox is ${status}.`, { status });
        }
        paired.add(instanceId);
        connected();
      },
      async requestPairingCode(phoneNumber) {
        if (!MSISDN.test(phoneNumber)) {
          throw new DomainError('invalid_input', 'phone_number must be 8-15 digits without +.', { field: 'phone_number' });
        }
        if (status !== 'qr_required') throw new DomainError('invalid_lifecycle_transition', `The sandbox is ${status}.`, { status });
        emit({ type: 'pairing_code', code: 'FAKE1234' });
        return 'FAKE1234';
      },
      async send(to) {
        if (status !== 'connected') throw new WhatsAppSendError('not_connected', 'The sandbox instance is not connected.', true);
        if (!isWhatsAppAddress(to) && to !== STATUS_BROADCAST_JID) throw new WhatsAppSendError('invalid_recipient', 'Not an MSISDN or a WhatsApp JID.', false);
        const whatsappId = sandboxMessageId();
        // A status post is sent and nothing more: its views are injected (sandbox-calls.ts).
        if (deps.reportReceipts && to !== STATUS_BROADCAST_JID) {
          setImmediate(() => {
            for (const receipt of ['sent', 'delivered', 'read'] as const) {
              if (status !== 'connected') return;
              emit({ type: 'message_status', update: { whatsappId, chatId: toChatJid(to), status: receipt, at: clock.now() } });
            }
          });
        }
        return { whatsappId };
      },
      async perform(action) {
        if (status !== 'connected') throw new WhatsAppSendError('not_connected', 'The sandbox instance is not connected.', true);
        if (action.type === 'reject_call') calls.reject(action.callId);
        if (isGroupAction(action)) return performGroupAction(groups, action);
        for (const event of directory.apply(action)) setImmediate(() => status === 'connected' && emit(event));
      },
      directory,
      groups,
      async injectGroupEvent(input) {
        if (status !== 'connected') throw new DomainError('not_connected', 'The sandbox instance is not connected.', { status });
        const event = groups.inject(input);
        emit({ type: 'group', event });
        return event;
      },
      async injectInbound(input) {
        if (status !== 'connected') throw new DomainError('not_connected', 'The sandbox instance is not connected.', { status });
        const message = toSandboxInboundMessage(input, clock.now());
        emit({ type: 'message', message });
        // A LID-only sender resolves on the next turn, as the real sandbox resolves it a moment later.
        const lid = message.author?.phoneNumber === null ? message.author.lid : null;
        const phoneNumber = lid === null ? null : sandboxPhoneOfLid(lid);
        if (lid !== null && phoneNumber !== null) setImmediate(() => status === 'connected' && emit({ type: 'lid_mapping', lid, phoneNumber }));
        return message;
      },
      async injectChange(input) {
        if (status !== 'connected') throw new DomainError('not_connected', 'The sandbox instance is not connected.', { status });
        const { injected, event } = toSandboxChangeEvent(input, clock.now());
        emit(event);
        return injected;
      },
      async injectEvent(input) {
        if (status !== 'connected') throw new DomainError('not_connected', 'The sandbox instance is not connected.', { status });
        const reported = calls.inject(input, clock.now());
        emit('callId' in reported ? { type: 'call', call: reported } : { type: 'story_view', view: reported });
        return reported;
      },
      async logout() {
        status = 'closed';
        paired.delete(instanceId);
      },
      async close() {
        status = 'closed';
      },
    };
  }

  return {
    paired,
    createSession,
    hasCredentials: async (instanceId) => paired.has(instanceId),
    listInstancesWithCredentials: async () => [...paired],
    wipeCredentials: async (instanceId) => void paired.delete(instanceId),
  };
}
