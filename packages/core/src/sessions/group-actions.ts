/* The group outbox actions (`group_update`, `group_leave`) as every adapter performs them, on its session's groups. */
import { isDomainError } from '../shared/index.js';
import type { SessionAction } from './whatsapp-action.js';
import type { WhatsAppGroups } from './whatsapp-groups.js';
import { WhatsAppSendError } from './whatsapp-session.js';

export type GroupAction = Extract<SessionAction, { type: 'group_update' | 'group_leave' }>;

export const isGroupAction = (action: SessionAction): action is GroupAction => action.type === 'group_update' || action.type === 'group_leave';

/**
 * Performs a group outbox action on a session's groups (both adapters). A group WhatsApp says this number is
 * not in, or not an admin of, will not change by retrying: that refusal becomes a permanent `WhatsAppSendError`,
 * so the action fails at once with `action.failed`.
 */
export async function performGroupAction(groups: WhatsAppGroups, action: GroupAction): Promise<void> {
  try {
    if (action.type === 'group_update') await groups.update(action.groupId, action.changes);
    else await groups.leave(action.groupId);
  } catch (error) {
    if (isDomainError(error)) throw new WhatsAppSendError('invalid_recipient', error.message, false);
    throw error;
  }
}
