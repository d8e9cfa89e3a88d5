/*
 * The sessions this process runs, one per instance at most. Insertion is synchronous (check, create,
 * insert with no await in between), so two concurrent requests for one instance cannot start two
 * sockets, and the capacity check cannot be raced past. A detached entry is forgotten at once: the
 * events its session may still emit are ignored (see `isCurrent`), so a late event from a stopped session
 * can never move the instance again.
 */
import type { LeaseFence } from '../cluster/index.js';
import type { InstanceKind } from '../instances/index.js';
import type { SandboxSession, SandboxSessionFactory } from './sandbox-session.js';
import type { SessionEvent, WhatsAppSession, WhatsAppSessionFactory } from './whatsapp-session.js';
import { DomainError } from '../shared/index.js';
import { createQrSlot, type QrSlot } from './qr-slot.js';

/** The instance a live session belongs to, as handed to the inbound/status handlers. */
export interface SessionInstance {
  readonly id: string;
  readonly customerId: string;
  readonly kind: InstanceKind;
  /**
   * The lease the session runs under, when sessions are leased (several nodes): handlers pass it to the
   * writes they make for the session, which are refused once another node took the instance over.
   */
  readonly fence?: LeaseFence | null;
}

/**
 * One session factory per instance kind: `whatsapp` a real phone (the Baileys adapter), `sandbox` the
 * simulated phone, whose sessions also take the sandbox controls.
 */
export type SessionFactories = {
  readonly [Kind in InstanceKind]: Kind extends 'sandbox' ? SandboxSessionFactory : WhatsAppSessionFactory;
};

export interface LiveSession {
  readonly instance: SessionInstance;
  readonly session: WhatsAppSession;
  /** The same session with its simulated-phone controls, for sandbox instances; null otherwise. */
  readonly sandbox: SandboxSession | null;
  readonly qr: QrSlot;
  /** The lease this session runs under; null until claimed, and always null when sessions are not leased. */
  fence: LeaseFence | null;
  /** The session's events are handled one at a time, in order, on this chain. */
  queue: Promise<void>;
}

export interface LiveSessions {
  get(instanceId: string): LiveSession | undefined;
  isCurrent(entry: LiveSession): boolean;
  /**
   * The instance's live session, created (idle, not yet connected) when absent. Throws
   * DomainError('worker_at_capacity') when `maxSessions` are live, DomainError('unavailable') once closed.
   */
  ensure(instance: SessionInstance, onEvent: (entry: LiveSession, event: SessionEvent) => void): {
    entry: LiveSession;
    created: boolean;
  };
  /** Forgets the instance's session and returns it (to close or log out), or undefined when none. */
  detach(instanceId: string): LiveSession | undefined;
  /** Refuses new sessions from now on and detaches every live one. */
  closeAndDetachAll(): LiveSession[];
  readonly size: number;
  readonly isClosed: boolean;
}

export function createLiveSessions(deps: { factories: SessionFactories; maxSessions: number }): LiveSessions {
  const live = new Map<string, LiveSession>();
  let closed = false;

  return {
    get: (instanceId) => live.get(instanceId),
    isCurrent: (entry) => live.get(entry.instance.id) === entry,
    ensure(instance, onEvent) {
      const existing = live.get(instance.id);
      if (existing !== undefined) return { entry: existing, created: false };
      if (closed) throw new DomainError('unavailable', 'The server is shutting down; try again shortly.');
      if (live.size >= deps.maxSessions) {
        throw new DomainError('worker_at_capacity', 'This server runs as many WhatsApp sessions as it may.', {
          max_sessions: deps.maxSessions,
        });
      }
      const listener = (event: SessionEvent) => onEvent(entry, event);
      let entry: LiveSession;
      if (instance.kind === 'sandbox') {
        const sandbox = deps.factories.sandbox.createSession({ instanceId: instance.id, customerId: instance.customerId, listener });
        entry = { instance, session: sandbox, sandbox, qr: createQrSlot(), fence: null, queue: Promise.resolve() };
      } else {
        const session = deps.factories.whatsapp.createSession({ instanceId: instance.id, customerId: instance.customerId, listener });
        entry = { instance, session, sandbox: null, qr: createQrSlot(), fence: null, queue: Promise.resolve() };
      }
      live.set(instance.id, entry);
      return { entry, created: true };
    },
    detach(instanceId) {
      const entry = live.get(instanceId);
      live.delete(instanceId);
      return entry;
    },
    closeAndDetachAll() {
      closed = true;
      const entries = [...live.values()];
      live.clear();
      return entries;
    },
    get size() {
      return live.size;
    },
    get isClosed() {
      return closed;
    },
  };
}
