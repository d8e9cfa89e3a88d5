/*
 * Turns one live session's events into instance transitions (persisted, audited, recorded as events by
 * the transitioner) and hands messages and receipts to the messaging feature's handlers. Events are
 * handled one at a time in arrival order (the entry's queue), so `qr` → `connected` can never be
 * persisted the other way round; an event of a session that was detached meanwhile is dropped. Every write
 * carries the session's lease fence (when leased), and a session that ends for good frees its lease.
 */
import { DomainError, type Actor } from '../shared/index.js';
import type { CallUpdate, InboundMessage, MessageStatusUpdate, PresenceUpdate, StoryView } from './whatsapp-content.js';
import type { SessionEvent } from './whatsapp-session.js';
import type { MessageChange } from './message-change.js';
import type { GroupEvent } from './whatsapp-groups.js';
import type { ChatUpdate } from './whatsapp-chat.js';
import type { InstanceTransitioner } from './instance-transitioner.js';
import type { LiveSession, LiveSessions, SessionInstance } from './live-sessions.js';

/** Where inbound traffic goes (the messages feature's handlers). Each may be async; it is awaited in order. */
export interface SessionTrafficHandlers {
  /** A message someone sent to the instance. */
  readonly onInbound?: (instance: SessionInstance, message: InboundMessage) => Promise<void> | void;
  /** A message sent from the phone itself (`fromMe`), not through the API. */
  readonly onOwnMessage?: (instance: SessionInstance, message: InboundMessage) => Promise<void> | void;
  /** A receipt (sent, delivered, read) for a message the instance sent. */
  readonly onMessageStatus?: (instance: SessionInstance, update: MessageStatusUpdate) => Promise<void> | void;
  /** WhatsApp told the phone number behind a LID. */
  readonly onLidMapping?: (instance: SessionInstance, mapping: { readonly lid: string; readonly phoneNumber: string }) => Promise<void> | void;
  /** Someone's presence in a subscribed chat. */
  readonly onPresence?: (instance: SessionInstance, update: PresenceUpdate) => Promise<void> | void;
  /** A reaction, edit, revoke or poll vote on a message of a chat. */
  readonly onMessageChange?: (instance: SessionInstance, change: MessageChange) => Promise<void> | void;
  /** An incoming call rang or ended. */
  readonly onCall?: (instance: SessionInstance, call: CallUpdate) => Promise<void> | void;
  /** Someone viewed one of the instance's status posts. */
  readonly onStoryView?: (instance: SessionInstance, view: StoryView) => Promise<void> | void;
  /** Something happened in one of the number's groups. */
  readonly onGroupEvent?: (instance: SessionInstance, event: GroupEvent) => Promise<void> | void;
  /** A chat of the account was learnt, changed or deleted. */
  readonly onChat?: (instance: SessionInstance, change: ChatChange) => Promise<void> | void;
}

/** A chat the session reported: changed (`update`) or deleted. */
export type ChatChange = { readonly type: 'update'; readonly update: ChatUpdate } | { readonly type: 'delete'; readonly chatId: string };

export interface SessionEventHandlerDeps extends SessionTrafficHandlers {
  readonly live: LiveSessions;
  readonly transition: InstanceTransitioner;
  readonly renderQrPng: (text: string) => Promise<string>;
  /** Frees the instance's lease after its session ended for good (a no-op when sessions are not leased). */
  readonly release: (instanceId: string) => Promise<void>;
  /** Receives what went wrong while handling an event; the session carries on. */
  readonly onError: (error: unknown, context: { instanceId: string; event: SessionEvent['type'] }) => void;
}

const SYSTEM: Actor = { type: 'system' };

/** Returns the session listener body: queue the event on its entry. */
export function createSessionEventHandler(deps: SessionEventHandlerDeps) {
  const { live, transition } = deps;

  async function handle(entry: LiveSession, event: SessionEvent): Promise<void> {
    if (!live.isCurrent(entry)) return;
    const instance = { ...entry.instance, fence: entry.fence };
    const base = { instance, actor: SYSTEM, fence: entry.fence } as const;
    switch (event.type) {
      case 'qr': {
        const qr = { raw: event.qr, pngDataUrl: await deps.renderQrPng(event.qr) };
        if (!live.isCurrent(entry)) return;
        if ((await transition({ ...base, to: 'qr_required', qr })) !== null) entry.qr.show(qr);
        return;
      }
      case 'pairing_code':
        return; // returned to the caller of requestPairingCode; nothing to persist
      case 'connecting':
        entry.qr.clear();
        await transition({ ...base, to: 'connecting', whilePaired: 'reconnecting' });
        return;
      case 'connected':
        entry.qr.fail(new DomainError('no_qr', 'The instance is connected; there is no QR code to scan.'));
        await transition({ ...base, to: 'connected', phoneNumber: event.phoneNumber });
        return;
      case 'reconnecting':
        await transition({ ...base, to: 'reconnecting', reason: event.reason });
        return;
      case 'disconnected':
        live.detach(instance.id);
        entry.qr.fail(
          new DomainError('invalid_lifecycle_transition', `The pairing ended (${event.reason}); connect again.`, {
            reason: event.reason,
          }),
        );
        await transition({ ...base, to: 'disconnected', reason: event.reason });
        await entry.session.close();
        await deps.release(instance.id);
        return;
      case 'message':
        await deps.onInbound?.(instance, event.message);
        return;
      case 'own_message':
        await deps.onOwnMessage?.(instance, event.message);
        return;
      case 'message_status':
        await deps.onMessageStatus?.(instance, event.update);
        return;
      case 'lid_mapping':
        await deps.onLidMapping?.(instance, { lid: event.lid, phoneNumber: event.phoneNumber });
        return;
      case 'presence':
        await deps.onPresence?.(instance, event.update);
        return;
      case 'message_change':
        await deps.onMessageChange?.(instance, event.change);
        return;
      case 'call':
        await deps.onCall?.(instance, event.call);
        return;
      case 'story_view':
        await deps.onStoryView?.(instance, event.view);
        return;
      case 'group':
        await deps.onGroupEvent?.(instance, event.event);
        return;
      case 'chat_update':
        await deps.onChat?.(instance, { type: 'update', update: event.update });
        return;
      case 'chat_delete':
        await deps.onChat?.(instance, { type: 'delete', chatId: event.chatId });
        return;
    }
  }

  return (entry: LiveSession, event: SessionEvent): void => {
    entry.queue = entry.queue
      .then(() => handle(entry, event))
      .catch((error: unknown) => deps.onError(error, { instanceId: entry.instance.id, event: event.type }));
  };
}
