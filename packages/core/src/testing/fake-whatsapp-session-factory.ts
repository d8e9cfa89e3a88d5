/*
 * A scriptable stand-in for the Baileys session factory, for tests of code above the session port: a
 * test makes a session say anything (`emit`) and sees what was asked of it (`calls`). It never emits on
 * its own, except what the sandbox rules report after an action or a group change (a presence, a group event);
 * credentials are a set the test controls.
 */
import { DomainError } from '../shared/index.js';
import {
  createSandboxDirectory,
  createSandboxGroups,
  isGroupAction,
  performGroupAction,
  WhatsAppSendError,
  type SessionEvent,
  type SessionListener,
  type SessionStatus,
  type WhatsAppSession,
  type WhatsAppSessionFactory,
} from '../sessions/index.js';

export interface FakeWhatsAppSession extends WhatsAppSession {
  /**
   * What the code under test asked of this session, in order (`connect`, `send:<to>`, `perform:<type>:<address>`,
   * `logout`, `close`). Its directory answers by the sandbox's rules (sandbox-directory.ts).
   */
  readonly calls: string[];
  /** Delivers an event to the session's listener, as a real socket would; even after close (a late event). */
  emit(event: SessionEvent): void;
}

export interface FakeWhatsAppSessionFactory extends WhatsAppSessionFactory {
  /** Every session made, oldest first. */
  readonly sessions: FakeWhatsAppSession[];
  /** The newest session of the instance; throws when none was made. */
  latest(instanceId: string): FakeWhatsAppSession;
  /** Instance ids with stored credentials; `connected` events add to it, `logout` and wipes remove. */
  readonly credentials: Set<string>;
}

export function createFakeWhatsAppSessionFactory(): FakeWhatsAppSessionFactory {
  const sessions: FakeWhatsAppSession[] = [];
  const credentials = new Set<string>();

  function createSession({ instanceId, listener }: { instanceId: string; listener: SessionListener }): FakeWhatsAppSession {
    const calls: string[] = [];
    let status: SessionStatus = 'idle';
    let ownPhone = '4915100000000';
    const ended = () => status === 'closed';
    const directory = createSandboxDirectory({ isConnected: () => status === 'connected' });
    const groups = createSandboxGroups({
      isConnected: () => status === 'connected',
      ownPhone: () => ownPhone,
      report: (event) => setImmediate(() => status === 'connected' && listener(event)),
      now: () => new Date(),
    });
    const session: FakeWhatsAppSession = {
      instanceId,
      calls,
      get status() {
        return status;
      },
      emit(event) {
        if (event.type === 'connected' && !ended()) credentials.add(instanceId);
        if (event.type === 'connected') ownPhone = event.phoneNumber;
        if (event.type === 'qr' && !ended()) status = 'qr_required';
        if (!ended() && (event.type === 'connected' || event.type === 'reconnecting' || event.type === 'disconnected')) {
          status = event.type;
        }
        listener(event);
      },
      async connect() {
        calls.push('connect');
        if (ended()) throw new DomainError('invalid_lifecycle_transition', 'closed');
        status = 'connecting';
      },
      async requestPairingCode(phoneNumber) {
        calls.push(`pair:${phoneNumber}`);
        return 'FAKE1234';
      },
      async send(to) {
        calls.push(`send:${to}`);
        if (status !== 'connected') throw new WhatsAppSendError('not_connected', 'not connected', true);
        return { whatsappId: `FAKE${calls.length}` };
      },
      async perform(action) {
        calls.push(
          `perform:${action.type}:${'address' in action ? action.address : 'chat' in action ? action.chat : 'target' in action ? action.target.whatsappId : 'groupId' in action ? action.groupId : action.callId}`,
        );
        if (status !== 'connected') throw new WhatsAppSendError('not_connected', 'not connected', true);
        if (isGroupAction(action)) return performGroupAction(groups, action);
        for (const event of directory.apply(action)) setImmediate(() => status === 'connected' && listener(event));
      },
      get directory() {
        return directory;
      },
      groups,
      async logout() {
        calls.push('logout');
        status = 'closed';
        credentials.delete(instanceId);
      },
      async close() {
        calls.push('close');
        status = 'closed';
      },
    };
    sessions.push(session);
    return session;
  }

  return {
    sessions,
    credentials,
    latest(instanceId) {
      const found = sessions.filter((session) => session.instanceId === instanceId).at(-1);
      if (found === undefined) throw new Error(`no session was made for ${instanceId}`);
      return found;
    },
    createSession,
    hasCredentials: async (instanceId) => credentials.has(instanceId),
    listInstancesWithCredentials: async () => [...credentials],
    wipeCredentials: async (instanceId) => void credentials.delete(instanceId),
  };
}
