/*
 * One instance's WhatsApp connection on Baileys, behind the session port. A Baileys socket lives for one
 * connection attempt; the session owns the sequence of sockets and decides, on every close, what comes
 * next (reconnect-policy.ts). Every socket gets a generation number and events from an older socket are
 * ignored, so a late event can never drive the current state. close()/logout() silence the listener,
 * clear every timer and end the socket: nothing keeps the process alive afterwards.
 */
import { DomainError, isGroupAction, performGroupAction, WhatsAppSendError } from '@whatisup/core';
import type { SessionEvent, SessionStatus, WhatsAppSession } from '@whatisup/core';
import { areJidsSameUser, downloadMediaMessage } from '@whiskeysockets/baileys';
import type { AuthenticationCreds, ConnectionState } from '@whiskeysockets/baileys';
import { createBaileysDirectory } from './baileys-directory.js';
import { createBaileysGroups } from './baileys-groups.js';
import { bindGroupEvents } from './baileys-group-events.js';
import { bindMessageEvents } from './baileys-message-events.js';
import { bindChatEvents } from './baileys-chat-events.js';
import { createLastMessageStore } from './last-message-store.js';
import type { BaileysSessionOptions } from './baileys-session-options.js';
import type { BaileysSocket } from './baileys-socket.js';
import { createBaileysLogger } from './create-baileys-logger.js';
import { backoffDelay, classifyDisconnect } from './reconnect-policy.js';
import { sendWithSocket } from './send-with-socket.js';
import { createSentMessageStore } from './sent-message-store.js';
import { createUnreadStore } from './unread-store.js';
import { createPushNames } from './push-names.js';
import { createSessionTimers, withTimeout } from './session-timers.js';
import { fromWhatsAppJid } from './to-whatsapp-jid.js';
import type { InboundContext } from './to-inbound-message.js';
import { createPollVoteReader } from './poll-votes.js';
import { pollSecretFor } from './poll-secret.js';

const MSISDN = /^[1-9]\d{7,14}$/;
const MAX_QUICK_RESTARTS = 3;

export function createBaileysSession(options: BaileysSessionOptions): WhatsAppSession {
  const { instanceId, listener, authStore, socketFactory, tuning } = options;
  const random = options.random ?? Math.random;
  const now = options.now ?? (() => new Date());
  const log = options.logger.child({ instance_id: instanceId });
  const baileysLogger = createBaileysLogger(log);
  const timers = createSessionTimers();
  const sent = createSentMessageStore(tuning.sentMessageLimit);
  const unread = createUnreadStore(tuning.sentMessageLimit);
  const pushNames = createPushNames(tuning.sentMessageLimit);
  const lastMessages = createLastMessageStore(tuning.sentMessageLimit);
  const directory = createBaileysDirectory(() => (status === 'connected' ? socket : null), unread, pushNames.get, lastMessages);
  const groups = createBaileysGroups(() => (status === 'connected' ? socket : null));

  let status: SessionStatus = 'idle';
  let stopped = false;
  let socket: BaileysSocket | null = null;
  let creds: AuthenticationCreds | null = null;
  let generation = 0;
  let attempt = 0;
  let quickRestarts = 0;
  let qrSeen = false; // the current socket showed a QR, so it can take a pairing-code request
  let pairingWaiters: Array<() => void> = [];

  const emit = (event: SessionEvent): void => {
    if (stopped) return;
    try {
      listener(event);
    } catch (error) {
      log.error({ err: error, event: event.type }, 'session listener threw');
    }
  };

  const ownJids = (): Array<string | undefined> => [socket?.user?.id, socket?.user?.lid, creds?.me?.id, creds?.me?.lid];
  const inbound: InboundContext = {
    isMe: (jid) => ownJids().some((own) => own !== undefined && areJidsSameUser(own, jid)),
    ownPhone: () => {
      const id = socket?.user?.id ?? creds?.me?.id;
      return id === undefined ? null : fromWhatsAppJid(id);
    },
    download: async (message) =>
      downloadMediaMessage(message, 'buffer', {}, {
        logger: baileysLogger,
        reuploadRequest: (m) => (socket ? socket.updateMediaMessage(m) : Promise.reject(new Error('not connected'))),
      }),
    now,
  };

  const pollSecret = (whatsappId: string): Uint8Array | null => (creds?.advSecretKey ? pollSecretFor(creds.advSecretKey, whatsappId) : null);
  const polls = createPollVoteReader({
    sentMessage: (id) => sent.get(id),
    pollOptions: options.pollOptions ?? (async () => null),
    secretFor: pollSecret,
    ownJids,
    inbound,
  });

  async function endSocket(): Promise<void> {
    generation += 1;
    const current = socket;
    socket = null;
    qrSeen = false;
    if (current === null) return;
    try {
      await current.end(undefined);
    } catch (error) {
      log.debug({ err: error }, 'ending the socket failed');
    }
  }

  async function stop(reason: Extract<SessionEvent, { type: 'disconnected' }>['reason'], wipe: boolean): Promise<void> {
    timers.clearAll();
    status = 'disconnected';
    await endSocket();
    if (wipe) await authStore.wipe().catch((error: unknown) => log.error({ err: error }, 'wiping credentials failed'));
    emit({ type: 'disconnected', reason });
  }

  function retry(reason: string): void {
    attempt += 1;
    if (tuning.maxReconnectAttempts !== undefined && attempt > tuning.maxReconnectAttempts) {
      void stop('network', false);
      return;
    }
    const delayMs = backoffDelay(attempt, tuning.backoff, random);
    status = 'reconnecting';
    emit({ type: 'reconnecting', attempt, delayMs, reason });
    timers.set('reconnect', delayMs, () => void open());
  }

  function onClose(error: unknown): void {
    timers.clear('stable');
    generation += 1; // the closed socket's late events are ignored from now on
    socket = null;
    qrSeen = false;
    const action = classifyDisconnect(error);
    log.info({ action, message: (error as Error | undefined)?.message }, 'WhatsApp connection closed');
    if (action.kind === 'stop') void stop(action.reason, action.wipeCredentials);
    else if (action.kind === 'restart' && quickRestarts < MAX_QUICK_RESTARTS) {
      quickRestarts += 1;
      void open();
    } else retry(action.kind === 'retry' ? action.reason : 'restart_required');
  }

  function onConnectionUpdate(update: Partial<ConnectionState>): void {
    if (update.qr) {
      status = 'qr_required';
      qrSeen = true;
      for (const wake of pairingWaiters) wake();
      pairingWaiters = [];
      if (!timers.has('pairing')) timers.set('pairing', tuning.pairingTimeoutMs, () => void stop('pairing_timeout', false));
      emit({ type: 'qr', qr: update.qr });
    }
    if (update.connection === 'open') {
      timers.clear('pairing');
      status = 'connected';
      quickRestarts = 0;
      timers.set('stable', tuning.stableAfterMs, () => {
        attempt = 0;
      });
      emit({ type: 'connected', phoneNumber: inbound.ownPhone() ?? '' });
    } else if (update.connection === 'close') {
      onClose(update.lastDisconnect?.error);
    }
  }

  async function open(): Promise<void> {
    const gen = ++generation;
    status = 'connecting';
    emit({ type: 'connecting' });
    let state;
    try {
      state = await authStore.load();
    } catch (error) {
      log.error({ err: error }, 'stored WhatsApp credentials cannot be loaded');
      if (gen === generation && !stopped) await stop('session_invalidated', false);
      return;
    }
    if (stopped || gen !== generation) return;
    creds = state.creds;
    let created: BaileysSocket;
    try {
      created = socketFactory({
        auth: state,
        logger: baileysLogger,
        markOnlineOnConnect: false,
        syncFullHistory: false,
        // Baileys' default skips only the FULL history sync; turning every sync off would also lose the
        // initial LID mappings, which Baileys warns leads to session errors. History never becomes events.
        connectTimeoutMs: tuning.connectTimeoutMs,
        getMessage: async (key) => (key.id ? sent.get(key.id) : undefined),
        ...(tuning.waWebSocketUrl !== undefined ? { waWebSocketUrl: tuning.waWebSocketUrl } : {}),
      });
    } catch (error) {
      log.warn({ err: error }, 'creating the WhatsApp socket failed');
      retry('socket_error');
      return;
    }
    socket = created;
    const isCurrent = (): boolean => gen === generation && !stopped;
    created.ev.on('connection.update', (update) => isCurrent() && onConnectionUpdate(update));
    created.ev.on('creds.update', (update) => {
      if (!isCurrent() || creds === null) return;
      Object.assign(creds, update);
      authStore.saveCreds().catch((error: unknown) => log.error({ err: error }, 'saving WhatsApp credentials failed'));
    });
    bindMessageEvents({ socket: created, emit, sent, unread, pushNames, inbound, polls, logger: log, isCurrent });
    bindGroupEvents({ socket: created, emit, isCurrent });
    bindChatEvents({ socket: created, emit, lastMessages, isCurrent });
  }

  function waitForPairingSocket(): Promise<void> {
    if (qrSeen) return Promise.resolve();
    return withTimeout(
      new Promise<void>((resolve) => pairingWaiters.push(resolve)),
      tuning.pairingCodeWaitMs,
      () => new DomainError('unavailable', 'WhatsApp did not get ready for a pairing code in time.'),
    );
  }

  return {
    instanceId,
    get status() {
      return status;
    },
    async connect() {
      if (stopped) throw new DomainError('invalid_lifecycle_transition', 'This session was closed; create a new one.');
      if (status !== 'idle' && status !== 'disconnected') return;
      attempt = 0;
      quickRestarts = 0;
      timers.clearAll();
      await open();
    },
    async requestPairingCode(phoneNumber) {
      if (!MSISDN.test(phoneNumber)) throw new DomainError('invalid_input', 'The phone number must be 8-15 digits without "+".');
      if (stopped || status === 'idle' || status === 'disconnected') {
        throw new DomainError('invalid_lifecycle_transition', 'Connect the instance before asking for a pairing code.');
      }
      if (status === 'connected' || creds?.me?.id) {
        throw new DomainError('invalid_lifecycle_transition', 'The instance is already paired.');
      }
      await waitForPairingSocket();
      if (socket === null) throw new DomainError('unavailable', 'The WhatsApp connection dropped; try again.');
      let code: string;
      try {
        code = await socket.requestPairingCode(phoneNumber);
      } catch (error) {
        log.warn({ err: error }, 'requesting a pairing code failed');
        throw new DomainError('unavailable', 'WhatsApp did not issue a pairing code; try again.');
      }
      emit({ type: 'pairing_code', code });
      return code;
    },
    async send(to, content, sendOptions) {
      if (status !== 'connected' || socket === null) {
        throw new WhatsAppSendError('not_connected', 'The WhatsApp connection is not open.', true);
      }
      return sendWithSocket({ socket, sent, timeoutMs: tuning.sendTimeoutMs, pollSecret }, to, content, sendOptions);
    },
    perform: (action) => (isGroupAction(action) ? performGroupAction(groups, action) : directory.perform(action)),
    directory,
    groups,
    async logout() {
      if (stopped) return;
      const current = socket;
      const wasConnected = status === 'connected';
      stopped = true;
      timers.clearAll();
      status = 'closed';
      if (current !== null && wasConnected) {
        await withTimeout(current.logout(), 5_000, () => new Error('logout timed out')).catch((error: unknown) =>
          log.warn({ err: error }, 'logging out on WhatsApp failed; wiping credentials anyway'),
        );
      }
      await endSocket();
      await authStore.wipe();
    },
    async close() {
      if (stopped) return;
      stopped = true;
      timers.clearAll();
      status = 'closed';
      await endSocket();
      await authStore.flush();
    },
  };
}
