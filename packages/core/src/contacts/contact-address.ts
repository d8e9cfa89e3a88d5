/*
 * How the API names a person: a phone number (8-15 digits, no `+`), a phone JID (`…@s.whatsapp.net`) or a
 * LID JID (`…@lid`). Device suffixes (`:12`) are dropped; case and surrounding spaces do not matter.
 */
import { DomainError } from '../shared/index.js';

const MSISDN = /^[1-9][0-9]{7,14}$/;
const PHONE_JID = /^([1-9][0-9]{7,14})(?::[0-9]+)?@s\.whatsapp\.net$/;
const LID_JID = /^([0-9]{1,20})(?::[0-9]+)?@lid$/;

export type ContactAddress =
  | { readonly kind: 'phone'; readonly phoneNumber: string; readonly jid: string }
  | { readonly kind: 'lid'; readonly lid: string };

/** Throws DomainError('invalid_input') naming `field` for anything else (a `+`, spaces, a group JID). */
export function parseContactAddress(value: string, field = 'contact'): ContactAddress {
  const trimmed = value.trim().toLowerCase();
  const phone = MSISDN.test(trimmed) ? trimmed : (PHONE_JID.exec(trimmed)?.[1] ?? null);
  if (phone !== null) return { kind: 'phone', phoneNumber: phone, jid: `${phone}@s.whatsapp.net` };
  const lid = LID_JID.exec(trimmed);
  if (lid !== null) return { kind: 'lid', lid: `${lid[1]}@lid` };
  throw new DomainError('invalid_input', `${field} must be a phone number (8-15 digits, no "+"), a phone JID (…@s.whatsapp.net) or a LID (…@lid).`, {
    field,
  });
}

/** A LID as the API accepts it: `<digits>@lid`, or bare digits. Throws invalid_input naming `field`. */
export function parseLid(value: string, field = 'lid'): string {
  const trimmed = value.trim().toLowerCase();
  const bare = /^[0-9]{1,20}$/.test(trimmed) ? `${trimmed}@lid` : trimmed;
  const lid = LID_JID.exec(bare);
  if (lid === null) throw new DomainError('invalid_input', `${field} must be a LID (<digits>@lid).`, { field });
  return `${lid[1]}@lid`;
}

/** The address to hand the session port: the phone JID, or the LID JID. */
export const sessionAddressOf = (address: ContactAddress): string => (address.kind === 'phone' ? address.jid : address.lid);
