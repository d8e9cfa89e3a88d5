/*
 * Views of our status posts: Baileys reports each viewer's receipt of a message on `status@broadcast` as a
 * `message-receipt.update` with the viewer in `receipt.userJid` and `readTimestamp` (opened) or
 * `playedTimestamp` (a video or voice post played); a `receiptTimestamp` alone is a delivery to the viewer's
 * device, not a view.
 */
import type { StoryView } from '@whatisup/core';
import type { MessageUserReceiptUpdate } from '@whiskeysockets/baileys';
import { toNumberOrNull } from './to-inbound-body.js';
import { toLidJid, toPhoneNumber } from './to-whatsapp-jid.js';

export function toStoryViews(updates: readonly MessageUserReceiptUpdate[], now: Date): StoryView[] {
  const out: StoryView[] = [];
  for (const { key, receipt } of updates) {
    if (key.fromMe !== true || !key.id || key.remoteJid !== 'status@broadcast' || !receipt.userJid) continue;
    const played = toNumberOrNull(receipt.playedTimestamp);
    const read = toNumberOrNull(receipt.readTimestamp);
    const seconds = played ?? read;
    if (seconds === null) continue;
    const phoneNumber = toPhoneNumber(receipt.userJid.endsWith('@lid') ? null : receipt.userJid);
    const lid = toLidJid(receipt.userJid.endsWith('@lid') ? receipt.userJid : null);
    out.push({
      whatsappId: key.id,
      viewer: phoneNumber ?? lid ?? receipt.userJid,
      author: { phoneNumber, lid },
      kind: played !== null ? 'played' : 'read',
      at: seconds > 0 ? new Date(seconds * 1000) : now,
    });
  }
  return out;
}
