/*
 * The chat list: kept from the sessions' chat reports (with their events) and from the messages that pass
 * through each instance. Message traffic is handled first and the chat list after it: a chat list that cannot
 * be written (logged) never holds up or fails a message.
 */
import {
  createChatActivity,
  createChatChangeHandler,
  toChatJid,
  type Clock,
  type EventRecorder,
  type SessionSender,
  type SessionTrafficHandlers,
  type UnitOfWork,
} from '@whatisup/core';
import type { Logger } from 'pino';

export interface ChatsDeps {
  readonly uow: UnitOfWork;
  readonly clock: Clock;
  readonly events: EventRecorder;
}

export function createChats(logger: Logger, deps: ChatsDeps) {
  const activity = createChatActivity({ uow: deps.uow });
  const keep = (what: string, instanceId: string, work: Promise<void>): Promise<void> =>
    work.catch((error: unknown) => logger.warn({ err: error, instance_id: instanceId }, `could not keep the chat list after ${what}`));

  /** The message handlers, each followed by its chat list update. */
  function withActivity(traffic: SessionTrafficHandlers): SessionTrafficHandlers {
    return {
      ...traffic,
      onInbound: async (instance, message) => {
        await traffic.onInbound?.(instance, message);
        await keep('an inbound message', instance.id, activity.onInbound(instance, message));
      },
      onOwnMessage: async (instance, message) => {
        await traffic.onOwnMessage?.(instance, message);
        await keep('a message from the phone', instance.id, activity.onOutbound(instance, message.chatId, message.receivedAt));
      },
    };
  }

  /** The outbox's sender, with every message it sends moving its chat's last activity. */
  function trackSends<S extends Pick<SessionSender, 'send'>>(sender: S): S {
    const send: SessionSender['send'] = async (instance, to, content, options) => {
      const sent = await sender.send(instance, to, content, options);
      await keep('a send', instance.id, activity.onOutbound(instance, toChatJid(to), deps.clock.now()));
      return sent;
    };
    return Object.assign(Object.create(sender) as S, { send });
  }

  return { onChat: createChatChangeHandler(deps), withActivity, trackSends };
}
