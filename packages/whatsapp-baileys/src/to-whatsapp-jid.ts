import { isJidGroup, isLidUser, isPnUser, jidNormalizedUser } from '@whiskeysockets/baileys';

const MSISDN = /^[1-9]\d{7,14}$/;

/**
 * An address as the API accepts it (MSISDN without `+`, or a user/group/LID JID) as a Baileys JID, or null
 * when it is neither. Device suffixes are dropped (`123:4@s.whatsapp.net` → `123@s.whatsapp.net`).
 */
export function toWhatsAppJid(address: string): string | null {
  const trimmed = address.trim();
  if (MSISDN.test(trimmed)) return `${trimmed}@s.whatsapp.net`;
  if (!trimmed.includes('@')) return null;
  if (isJidGroup(trimmed)) return /^[\d-]+@g\.us$/.test(trimmed) ? trimmed : null;
  if (isPnUser(trimmed) || isLidUser(trimmed)) {
    const normalised = jidNormalizedUser(trimmed);
    return /^\d+@(s\.whatsapp\.net|lid)$/.test(normalised) ? normalised : null;
  }
  return null;
}

/** The MSISDN of a phone-number JID (`4915...@s.whatsapp.net` → `4915...`); other JIDs unchanged. */
export function fromWhatsAppJid(jid: string): string {
  if (!isPnUser(jid)) return jid;
  return jidNormalizedUser(jid).split('@')[0] ?? jid;
}

/** A LID as Baileys gives it (`123@lid`, `123:4@lid` or bare `123`) as `<digits>@lid`, or null. */
export function toLidJid(value: string | null | undefined): string | null {
  if (!value) return null;
  const jid = jidNormalizedUser(value.includes('@') ? value : `${value}@lid`);
  return isLidUser(jid) && /^\d+@lid$/.test(jid) ? jid : null;
}

/** A phone number as Baileys gives it (`4915…@s.whatsapp.net`, with a device, or bare digits) as an MSISDN, or null. */
export function toPhoneNumber(value: string | null | undefined): string | null {
  if (!value) return null;
  const jid = jidNormalizedUser(value.includes('@') ? value : `${value}@s.whatsapp.net`);
  const phone = isPnUser(jid) ? fromWhatsAppJid(jid) : null;
  return phone !== null && MSISDN.test(phone) ? phone : null;
}
