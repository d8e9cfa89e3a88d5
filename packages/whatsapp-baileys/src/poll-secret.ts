/*
 * The message secret of a poll this instance sends. WhatsApp encrypts votes with a key derived from it, so
 * it must be known again when votes arrive, possibly after a restart. Rather than storing one secret per
 * poll, it is derived from the device's own `advSecretKey` (random, created at pairing, kept with the
 * credentials, which are sealed at rest) and the poll's WhatsApp id: only the holder of the credentials can
 * derive it, and nothing new needs keeping or sealing. A new pairing has a new key: votes on polls sent
 * before it can no longer be read.
 */
import { createHmac } from 'node:crypto';

export function pollSecretFor(advSecretKey: string, pollWhatsappId: string): Uint8Array {
  return createHmac('sha256', Buffer.from(advSecretKey, 'base64')).update(`whatisup poll secret\0${pollWhatsappId}`).digest();
}
