/*
 * A simulated phone behind the WhatsApp session port, a product feature: integrators
 * build and test against it without a phone, and this project's end-to-end tests and benchmarks drive it.
 *
 * connect(): unpaired → `connecting`, `qr`, then `connected` after `autoScanMs` (or at `scan()`);
 *            paired   → `connecting`, then `connected` after `resumeDelayMs`, no QR.
 * send():    resolves with a WhatsApp-style id, then `message_status` sent → delivered → read, one
 *            `receiptDelayMs` apart.
 * on every `connected`: given the messages table, completes the receipts of the instance's messages still
 *            `sent` or `delivered` (their timers died with a previous process or session; see
 *            replay-owed-receipts.ts).
 * injectInbound(): a `message` event of the same shape the Baileys adapter produces; from a LID whose
 *            phone number the rules know, a `lid_mapping` follows `receiptDelayMs` later.
 * injectChange(): a reaction, edit, revoke or poll vote as `message_change`, a played receipt as
 *            `message_status` `played` (core's sandbox-change.ts), at once.
 * directory, perform(): the rules of sandbox-directory.ts in core (who exists, LIDs, pictures, blocking).
 * a status post (to `status@broadcast`): resolves with an id and reports no receipts; its views, like calls,
 *            come from injectEvent() by the rules of sandbox-calls.ts in core.
 * groups, injectGroupEvent(): the groups kept for the session's lifetime by the rules of sandbox-groups.ts in
 *            core; every change is reported as a `group` event `receiptDelayMs` later.
 * Every pending step is a timer owned by the session; close() and logout() clear them all.
 */
import { randomBytes, randomInt } from 'node:crypto';
import {
  createSandboxCalls,
  createSandboxDirectory,
  createSandboxGroups,
  isGroupAction,
  performGroupAction,
  DomainError,
  STATUS_BROADCAST_JID,
  isWhatsAppAddress,
  sandboxPhoneOfLid,
  sandboxMessageId,
  toChatJid,
  toSandboxInboundMessage,
  toSandboxChangeEvent,
  WhatsAppSendError,
  type Clock,
  type InboundMessage,
  type MessageDeliveryStatus,
  type SandboxInboundInput,
  type SandboxSession,
  type SessionEvent,
  type SessionListener,
  type SessionStatus,
} from '@whatisup/core';
import { replayOwedReceipts, type SandboxMessageSource } from './replay-owed-receipts.js';
import type { SandboxCredentialStore } from './sandbox-credential-store.js';
import { sandboxPhoneNumber } from './sandbox-phone-number.js';

export interface SandboxTimings {
  /** Delay before an unscanned QR scans itself; null: only `scan()` completes pairing. */
  readonly autoScanMs: number | null;
  /** Delay before a paired instance reports connected after `connect()`. */
  readonly resumeDelayMs: number;
  /** Gap between a send and `sent`, and between each following receipt. */
  readonly receiptDelayMs: number;
}

export interface SandboxSessionDeps {
  readonly instanceId: string;
  readonly listener: SessionListener;
  readonly credentials: SandboxCredentialStore;
  readonly isPaired: () => Promise<boolean>;
  /** Where the instance's messages stand; without it, receipts pending when a session ended are never sent. */
  readonly messages?: SandboxMessageSource;
  readonly timings: SandboxTimings;
  readonly clock: Clock;
}

const PAIRING_ALPHABET = 'ABCDEFGHJKLMNPQRSTVWXYZ23456789';

export function createSandboxSession(deps: SandboxSessionDeps): SandboxSession {
  const { instanceId, timings, clock } = deps;
  const timers = new Set<NodeJS.Timeout>();
  /** WhatsApp ids whose receipts this session has timers for, until their `read`. */
  const scheduled = new Set<string>();
  let status: SessionStatus = 'idle';
  const directory = createSandboxDirectory({ isConnected: () => status === 'connected' });
  const calls = createSandboxCalls();

  const emit = (event: SessionEvent): void => {
    try {
      deps.listener(event);
    } catch {
      // A listener must not throw; if it does, the simulated phone carries on like a real one would.
    }
  };
  const later = (ms: number, step: () => void | Promise<void>): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      void Promise.resolve(step()).catch(() => undefined);
    }, ms);
    timers.add(timer);
  };
  const groups = createSandboxGroups({
    isConnected: () => status === 'connected',
    ownPhone: () => sandboxPhoneNumber(instanceId),
    report: (event) => later(timings.receiptDelayMs, () => void (status === 'connected' && emit(event))),
    now: () => clock.now(),
  });
  const becomeConnected = (): void => {
    status = 'connected';
    emit({ type: 'connected', phoneNumber: sandboxPhoneNumber(instanceId) });
    if (deps.messages === undefined) return;
    void replayOwedReceipts({
      instanceId,
      messages: deps.messages,
      receiptDelayMs: timings.receiptDelayMs,
      now: () => clock.now(),
      later,
      emit: (update) => emit({ type: 'message_status', update }),
      scheduled,
      isOpen: () => status !== 'closed',
    });
  };
  const pair = async (): Promise<void> => {
    if (status !== 'qr_required') return;
    await deps.credentials.save(instanceId);
    if (status === 'qr_required') becomeConnected();
  };
  const stop = (): void => {
    status = 'closed';
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
    scheduled.clear();
  };
  const assertOpen = (): void => {
    if (status === 'closed') {
      throw new DomainError('invalid_lifecycle_transition', 'This sandbox session was closed.', { instance_id: instanceId });
    }
  };

  return {
    instanceId,
    get status() {
      return status;
    },
    async connect() {
      assertOpen();
      if (status !== 'idle' && status !== 'disconnected') return;
      status = 'connecting';
      emit({ type: 'connecting' });
      const paired = await deps.isPaired();
      if (status !== 'connecting') return; // closed while checking the pairing
      if (paired) {
        later(timings.resumeDelayMs, () => {
          if (status === 'connecting') becomeConnected();
        });
        return;
      }
      status = 'qr_required';
      emit({ type: 'qr', qr: sandboxQr() });
      if (timings.autoScanMs !== null) later(timings.autoScanMs, pair);
    },
    async scan() {
      if (status !== 'qr_required') {
        throw new DomainError('invalid_lifecycle_transition', `There is no QR to scan: the sandbox is ${status}.`, {
          status,
        });
      }
      await pair();
    },
    async requestPairingCode(phoneNumber) {
      if (!/^[1-9]\d{7,14}$/.test(phoneNumber)) {
        throw new DomainError('invalid_input', 'phone_number must be 8-15 digits without +.', { field: 'phone_number' });
      }
      if (status !== 'qr_required') {
        throw new DomainError('invalid_lifecycle_transition', `A pairing code needs a pairing in progress; the sandbox is ${status}.`, {
          status,
        });
      }
      const code = Array.from({ length: 8 }, () => PAIRING_ALPHABET[randomInt(PAIRING_ALPHABET.length)]).join('');
      emit({ type: 'pairing_code', code });
      return code;
    },
    async send(to) {
      if (status !== 'connected') throw new WhatsAppSendError('not_connected', 'The sandbox instance is not connected.', true);
      if (to === STATUS_BROADCAST_JID) return { whatsappId: sandboxMessageId() };
      if (!isWhatsAppAddress(to)) throw new WhatsAppSendError('invalid_recipient', 'Not an MSISDN or a WhatsApp JID.', false);
      const whatsappId = sandboxMessageId();
      const receipts: MessageDeliveryStatus[] = ['sent', 'delivered', 'read'];
      scheduled.add(whatsappId);
      receipts.forEach((receipt, i) =>
        later(timings.receiptDelayMs * (i + 1), () => {
          if (receipt === 'read') scheduled.delete(whatsappId);
          emit({ type: 'message_status', update: { whatsappId, chatId: toChatJid(to), status: receipt, at: clock.now() } });
        }),
      );
      return { whatsappId };
    },
    async perform(action) {
      if (status !== 'connected') throw new WhatsAppSendError('not_connected', 'The sandbox instance is not connected.', true);
      if (action.type === 'reject_call') {
        calls.reject(action.callId);
        return;
      }
      if (isGroupAction(action)) return performGroupAction(groups, action);
      const address = 'address' in action ? action.address : 'chat' in action ? action.chat : action.target.chatId;
      if (address !== null && !isWhatsAppAddress(address)) throw new WhatsAppSendError('invalid_recipient', 'Not an MSISDN or a WhatsApp JID.', false);
      for (const event of directory.apply(action)) later(timings.receiptDelayMs, () => void (status === 'connected' && emit(event)));
    },
    directory,
    groups,
    async injectGroupEvent(input) {
      if (status !== 'connected') {
        throw new DomainError('not_connected', 'The sandbox instance is not connected.', { status });
      }
      const event = groups.inject(input);
      emit({ type: 'group', event });
      return event;
    },
    async injectInbound(input) {
      if (status !== 'connected') {
        throw new DomainError('not_connected', 'The sandbox instance is not connected.', { status });
      }
      const message = toSandboxInboundMessage(input, clock.now());
      emit({ type: 'message', message });
      // A LID-only sender's phone number is learnt a moment later, as a real phone learns it.
      const lid = message.author?.phoneNumber === null ? message.author.lid : null;
      const phoneNumber = lid === null ? null : sandboxPhoneOfLid(lid);
      if (lid !== null && phoneNumber !== null) {
        later(timings.receiptDelayMs, () => {
          if (status === 'connected') emit({ type: 'lid_mapping', lid, phoneNumber });
        });
      }
      return message;
    },
    async injectChange(input) {
      if (status !== 'connected') {
        throw new DomainError('not_connected', 'The sandbox instance is not connected.', { status });
      }
      const { injected, event } = toSandboxChangeEvent(input, clock.now());
      emit(event);
      return injected;
    },
    async injectEvent(input) {
      if (status !== 'connected') {
        throw new DomainError('not_connected', 'The sandbox instance is not connected.', { status });
      }
      const reported = calls.inject(input, clock.now());
      emit('callId' in reported ? { type: 'call', call: reported } : { type: 'story_view', view: reported });
      return reported;
    },
    async logout() {
      stop();
      await deps.credentials.remove(instanceId);
    },
    async close() {
      stop();
    },
  };
}

/** Shaped like WhatsApp's pairing QR (`ref,noiseKey,identityKey,advSecret`), marked as the sandbox's. */
function sandboxQr(): string {
  const part = (bytes: number) => randomBytes(bytes).toString('base64');
  return `2@SANDBOX${randomBytes(12).toString('base64url')},${part(32)},${part(32)},${part(16)}`;
}
