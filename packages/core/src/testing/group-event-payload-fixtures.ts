import type { EventPayloads } from '../events/index.js';

const person = { jid: '4915112345679@s.whatsapp.net', phone_number: '4915112345679', lid: '9765432115194@lid' };
const me = { jid: '4915112345678@s.whatsapp.net', phone_number: '4915112345678', lid: '8765432115194@lid' };
const group_id = '120363025246125486@g.us';

/** A payload of each `group.*` event, for the event fixtures. */
export const GROUP_EVENT_PAYLOADS = {
  'group.created': {
    group_id,
    subject: 'Team',
    description: null,
    owner: me,
    participants: [
      { ...me, role: 'superadmin' },
      { ...person, role: 'member' },
    ],
    author: me,
  },
  'group.updated': { group_id, changes: { subject: 'New name' }, author: me },
  'group.participant_added': { group_id, participants: [person], author: me },
  'group.participant_removed': { group_id, participants: [person], author: me },
  'group.admin_promoted': { group_id, participants: [person], author: me },
  'group.admin_demoted': { group_id, participants: [person], author: me },
  'group.join_requested': { group_id, participant: person, method: 'invite_link', author: person },
} satisfies { readonly [N in keyof EventPayloads & `group.${string}`]: EventPayloads[N] };
