/*
 * One outbound message through a connected socket, with Baileys' failures sorted into the port's
 * retryable / permanent codes. A closed or closing connection (Boom 408/428/440/515) is `not_connected`;
 * a send that hangs is `timeout`; content we cannot express is `invalid_content`.
 */
import { createHash } from 'node:crypto';
import { generateMessageIDV2 } from '@whiskeysockets/baileys';
import { STATUS_BROADCAST_JID, WhatsAppSendError } from '@whatisup/core';
import type { OutboundContent, SendOptions, StatusPostOptions } from '@whatisup/core';
import type { BaileysSocket } from './baileys-socket.js';
import type { SentMessageStore } from './sent-message-store.js';
import { statusCodeOf } from './reconnect-policy.js';
import { withTimeout } from './session-timers.js';
import { InvalidContentError, toBaileysContent, toQuotedMessage } from './to-baileys-content.js';
import { toWhatsAppJid } from './to-whatsapp-jid.js';

const CONNECTION_CODES = new Set([408, 428, 440, 515]);

export async function sendWithSocket(
  deps: {
    readonly socket: BaileysSocket;
    readonly sent: SentMessageStore;
    readonly timeoutMs: number;
    /** A poll's message secret for its WhatsApp id (poll-secret.ts); null leaves Baileys to pick a random one. */
    readonly pollSecret?: (whatsappId: string) => Uint8Array | null;
  },
  to: string,
  content: OutboundContent,
  options: SendOptions = {},
): Promise<{ whatsappId: string }> {
  const jid = to === STATUS_BROADCAST_JID ? to : toWhatsAppJid(to);
  if (jid === null) {
    throw new WhatsAppSendError('invalid_recipient', 'The recipient is not a phone number or a WhatsApp JID.', false);
  }
  let baileysContent;
  let quoted;
  try {
    baileysContent = toBaileysContent(content);
    // WhatsApp's "Forwarded" label is the context info's flag, as Baileys' own `forward` content sets it.
    if (options.forwarded === true) baileysContent = { ...baileysContent, contextInfo: { isForwarded: true, forwardingScore: 1 } } as typeof baileysContent;
    if (options.replyTo) quoted = toQuotedMessage(options.replyTo, deps.sent.get(options.replyTo.whatsappId));
  } catch (error) {
    if (error instanceof InvalidContentError) throw new WhatsAppSendError('invalid_content', error.message, false);
    throw error;
  }
  let messageId = options.idempotencyId ? whatsappMessageIdFor(options.idempotencyId) : undefined;
  if ('poll' in baileysContent && baileysContent.poll !== undefined && deps.pollSecret !== undefined) {
    // The secret votes are encrypted with is derived from the poll's id, so the id is fixed before sending.
    messageId ??= generateMessageIDV2(deps.socket.user?.id);
    const messageSecret = deps.pollSecret(messageId);
    if (messageSecret !== null) baileysContent = { ...baileysContent, poll: { ...baileysContent.poll, messageSecret } };
  }
  let result;
  try {
    result = await withTimeout(
      deps.socket.sendMessage(jid, baileysContent, {
        ...(quoted ? { quoted } : {}),
        ...(messageId !== undefined ? { messageId } : {}),
        ...(options.statusPost ? statusOptions(options.statusPost) : {}),
      }),
      deps.timeoutMs,
      () => new WhatsAppSendError('timeout', 'WhatsApp did not accept the message in time.', true),
    );
  } catch (error) {
    if (error instanceof WhatsAppSendError) throw error;
    const code = statusCodeOf(error);
    if (code !== undefined && CONNECTION_CODES.has(code)) {
      throw new WhatsAppSendError('not_connected', 'The WhatsApp connection closed while sending.', true);
    }
    throw new WhatsAppSendError('send_failed', 'WhatsApp refused or failed to send the message.', true);
  }
  const id = result?.key.id;
  if (!result || !id) throw new WhatsAppSendError('send_failed', 'WhatsApp returned no message id.', true);
  if (result.message) deps.sent.remember(id, result.message);
  return { whatsappId: id };
}

/**
 * The WhatsApp message id of one of our messages: Baileys' own shape (`3EB0` + 18 upper-case hex digits),
 * derived from our id, so a retried or resent message carries the id it had the first time and recipients'
 * devices treat it as the same message instead of showing it twice.
 */
export function whatsappMessageIdFor(idempotencyId: string): string {
  return `3EB0${createHash('sha256').update(idempotencyId).digest('hex').slice(0, 18).toUpperCase()}`;
}

/**
 * Baileys' options for a status post: `statusJidList` names the people whose devices it is encrypted for
 * (no one else sees it), `broadcast` marks it as one; a text post's background and font.
 */
function statusOptions(post: StatusPostOptions): { statusJidList: string[]; broadcast: true; backgroundColor?: string; font?: number } {
  const statusJidList = post.audience.map((address) => toWhatsAppJid(address)).filter((jid): jid is string => jid !== null);
  if (statusJidList.length === 0) throw new WhatsAppSendError('invalid_recipient', 'A status post needs at least one person in its audience.', false);
  return {
    statusJidList,
    broadcast: true,
    ...(post.backgroundColor !== undefined && { backgroundColor: post.backgroundColor }),
    ...(post.font !== undefined && { font: post.font }),
  };
}
