/*
 * The sandbox's phone numbers are fake but well-formed MSISDNs: country code 999 (unassigned by the ITU,
 * so no sandbox number can ever be a real subscriber), then 10 digits derived from the instance id. The
 * same instance always gets the same number, so a resumed sandbox instance reconnects as itself without
 * storing anything but the fact that it was paired.
 */
import { createHash } from 'node:crypto';

export const SANDBOX_COUNTRY_CODE = '999';

export function sandboxPhoneNumber(instanceId: string): string {
  const digest = createHash('sha256').update(instanceId).digest();
  return SANDBOX_COUNTRY_CODE + (digest.readBigUInt64BE(0) % 10_000_000_000n).toString().padStart(10, '0');
}

const MSISDN = /^[1-9]\d{7,14}$/;
const JID = /^[^@\s]+@(s\.whatsapp\.net|g\.us|lid)$/;

/** Whether `address` is an MSISDN (8-15 digits, no `+`) or a JID, the two forms the port accepts. */
export const isWhatsAppAddress = (address: string): boolean => MSISDN.test(address) || JID.test(address);

/** The chat JID for an address: a JID stays as it is, an MSISDN becomes `<digits>@s.whatsapp.net`. */
export const toChatJid = (address: string): string => (address.includes('@') ? address : `${address}@s.whatsapp.net`);
