import { DomainError } from '../../shared/index.js';

const MSISDN = /^[0-9]{8,15}$/;
const USER_JID = /^([0-9]{8,15})(?::[0-9]+)?@s\.whatsapp\.net$/;
const GROUP_JID = /^[0-9]+(?:-[0-9]+)?@g\.us$/;
const LID_JID = /^[0-9]+(?::[0-9]+)?@lid$/;

/**
 * The recipient as a JID: an MSISDN (8-15 digits, no `+`) becomes `<digits>@s.whatsapp.net`; a user, group
 * (`...@g.us`) or LID (`...@lid`) JID is kept (a user JID loses its device suffix). Throws
 * `DomainError('invalid_input')` for anything else, e.g. a `+`, spaces, letters or a broadcast JID.
 */
export function normalizeRecipient(to: string, field = 'to'): string {
  const value = to.trim().toLowerCase();
  if (MSISDN.test(value)) return `${value}@s.whatsapp.net`;
  const user = USER_JID.exec(value);
  if (user !== null) return `${user[1]}@s.whatsapp.net`;
  if (GROUP_JID.test(value) || LID_JID.test(value)) return value;
  throw new DomainError(
    'invalid_input',
    `${field} must be a phone number of 8 to 15 digits without "+", or a WhatsApp JID (…@s.whatsapp.net, …@g.us, …@lid).`,
    { field },
  );
}

export const isGroupJid = (jid: string): boolean => jid.endsWith('@g.us');
