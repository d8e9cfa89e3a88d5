import { DomainError } from '../shared/index.js';
import { GROUP_ID } from './schemas/group-schemas.js';

/** The group JID (`…@g.us`) of a group id as the API takes it (with or without `@g.us`). Throws invalid_input. */
export function toGroupJid(groupId: string): string {
  if (!GROUP_ID.test(groupId)) throw new DomainError('invalid_input', 'Not a group id.', { field: 'group_id' });
  return groupId.endsWith('@g.us') ? groupId : `${groupId}@g.us`;
}

/** An invite code from a code or an invite link (`https://chat.whatsapp.com/<code>`). Throws invalid_input. */
export function toInviteCode(invite: string): string {
  const code = invite.trim().replace(/^https?:\/\/chat\.whatsapp\.com\//i, '').replace(/[/?#].*$/, '');
  if (!/^[A-Za-z0-9_-]{6,64}$/.test(code)) throw new DomainError('invalid_input', 'Not an invite code or link.', { field: 'invite' });
  return code;
}
