/*
 * Reactions, edits, revokes and poll votes on messages of a chat become `message.reaction`,
 * `message.edited`, `message.revoked` and `poll.vote`. The same two events an API edit or revoke reports
 * (see outbox/action-event-data.ts) report one made by someone else (`from_me: false`) or from the phone
 * (`from_me: true`); `message_id` is our `msg_` id whenever the target is a message the instance sent
 * through the API, whoever acted on it (a group admin may delete our message). The person who acted is
 * completed from what the customer learnt about LIDs, as for `message.received`.
 */
import type { DomainEvent, PersonPayload } from '../../events/index.js';
import type { MessageChange, PersonIdentity, SessionInstance } from '../../sessions/index.js';
import type { UnitOfWork } from '../../shared/index.js';
import type { EventRecorder } from '../../events/index.js';
import type { MessageRepositories } from '../message-repositories.js';

export interface MessageChangeHandlerDeps {
  readonly uow: UnitOfWork<MessageRepositories>;
  readonly events: EventRecorder;
  readonly identifyAuthor?: (instance: Pick<SessionInstance, 'id' | 'customerId'>, author: PersonIdentity) => Promise<PersonIdentity>;
}

export type HandleMessageChange = (instance: Pick<SessionInstance, 'id' | 'customerId'>, change: MessageChange) => Promise<void>;

export function createMessageChangeHandler(deps: MessageChangeHandlerDeps): HandleMessageChange {
  return async (instance, change) => {
    const author = deps.identifyAuthor === undefined || change.fromMe ? change.author : await deps.identifyAuthor(instance, change.author);
    const ours = await deps.uow.repos.messages.findByWhatsappId(instance.id, change.target.whatsappId);
    await deps.events.recordAlone(deps.uow.repos, changeEvent(instance, change, ours?.id ?? null, { phone_number: author.phoneNumber, lid: author.lid }));
  };
}

function changeEvent(instance: Pick<SessionInstance, 'id' | 'customerId'>, change: MessageChange, messageId: string | null, person: PersonPayload): DomainEvent {
  const base = { customerId: instance.customerId, instanceId: instance.id, occurredAt: change.at } as const;
  const at = change.at.toISOString();
  const common = {
    message_id: messageId,
    whatsapp_id: change.target.whatsappId,
    chat_id: change.target.chatId,
    is_group: change.isGroup,
    from_me: change.fromMe,
  };
  switch (change.kind) {
    case 'reaction':
      return {
        ...base,
        name: 'message.reaction',
        data: { ...common, author: person, reaction_id: change.changeId, emoji: change.emoji, target_from_me: change.target.fromMe, reacted_at: at },
      };
    case 'edit':
      return { ...base, name: 'message.edited', data: { ...common, author: person, text: change.text, edited_at: at } };
    case 'revoke':
      return { ...base, name: 'message.revoked', data: { ...common, author: person, revoked_at: at } };
    case 'poll_vote':
      return { ...base, name: 'poll.vote', data: { ...common, voter: person, selected_options: [...change.selectedOptions], voted_at: at } };
  }
}
