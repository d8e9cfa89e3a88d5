import { createHmac } from 'node:crypto';

/**
 * The key event tokens are signed with, derived from a server secret the composition root passes in (e.g.
 * API_KEY_PEPPER). Deriving it under its own label means the secret itself never signs anything a client
 * holds, and a token cannot be replayed as any other signed value of the system. Same secret, same key:
 * tokens survive a restart.
 */
export function deriveEventTokenKey(serverSecret: string | Uint8Array): Buffer {
  if (serverSecret.length < 16) throw new RangeError('The server secret for event tokens must be at least 16 bytes.');
  return createHmac('sha256', serverSecret).update('whatisup/event-tokens/v1').digest();
}
