/*
 * A viewer opened (or played) one of the instance's status posts: `story.viewed`, naming the post by its
 * `msg_` id. A view of a post this API did not send (one posted from the phone) is not reported. WhatsApp
 * may report one viewer more than once (read, then played); each report is an event.
 */
import type { Clock, UnitOfWork } from '../shared/index.js';
import type { EventRecorder } from '../events/index.js';
import type { MessageRepositories } from '../messages/index.js';
import { STATUS_BROADCAST_JID, type PersonIdentity, type SessionInstance, type StoryView } from '../sessions/index.js';

export interface StoryViewHandlerDeps {
  readonly uow: UnitOfWork<MessageRepositories>;
  readonly events: EventRecorder;
  readonly clock: Clock;
  readonly identify?: (instance: Pick<SessionInstance, 'id' | 'customerId'>, person: PersonIdentity) => Promise<PersonIdentity>;
}

export type HandleStoryView = (instance: Pick<SessionInstance, 'id' | 'customerId'>, view: StoryView) => Promise<void>;

export function createStoryViewHandler(deps: StoryViewHandlerDeps): HandleStoryView {
  return async (instance, view) => {
    const post = await deps.uow.repos.messages.findByWhatsappId(instance.id, view.whatsappId);
    if (post === null || post.customerId !== instance.customerId || post.recipient !== STATUS_BROADCAST_JID) return;
    const given = view.author ?? { phoneNumber: null, lid: null };
    const person = deps.identify === undefined ? given : await deps.identify(instance, given);
    await deps.events.recordAlone(deps.uow.repos, {
      customerId: instance.customerId,
      instanceId: instance.id,
      name: 'story.viewed',
      occurredAt: deps.clock.now(),
      data: {
        message_id: post.id,
        whatsapp_id: view.whatsappId,
        viewer: person.phoneNumber ?? view.viewer,
        phone_number: person.phoneNumber,
        lid: person.lid,
        kind: view.kind,
        viewed_at: view.at.toISOString(),
      },
    });
  };
}
