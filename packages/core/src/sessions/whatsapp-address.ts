/* The two address forms the session port accepts for a chat: an MSISDN or a WhatsApp JID. */

const MSISDN = /^[1-9]\d{7,14}$/;
const JID = /^[^@\s]+@(s\.whatsapp\.net|g\.us|lid)$/;

/** Whether `address` is an MSISDN (8-15 digits, no `+`) or a JID. */
export const isWhatsAppAddress = (address: string): boolean => MSISDN.test(address) || JID.test(address);

/** The chat JID for an address: a JID stays as it is, an MSISDN becomes `<digits>@s.whatsapp.net`. */
export const toChatJid = (address: string): string => (address.includes('@') ? address : `${address}@s.whatsapp.net`);
