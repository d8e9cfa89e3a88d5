/*
 * What the sessions feature may ask about the messages an instance sent: the sandbox's controls resolve the
 * message an injected reaction, edit, revoke, vote or receipt names, and the Baileys adapter needs a poll's
 * options to turn a decrypted vote into option texts after the process restarted. The messages feature
 * implements it over its repository (messages/sent-message-lookup.ts); sessions never import messages.
 */

export interface SentMessageInfo {
  /** Our `msg_` id. */
  readonly id: string;
  /** WhatsApp's id; null while the message is not sent yet. */
  readonly whatsappId: string | null;
  /** The chat it went to (a JID). */
  readonly chatId: string;
  /** The body type (`text`, `audio`, `poll`, ...). */
  readonly type: string;
  /** A poll's question and options; null for other messages. */
  readonly poll: { readonly question: string; readonly options: readonly string[]; readonly selectableCount: number } | null;
}

export interface SentMessageLookup {
  /** The instance's message by our `msg_` id within the customer; null when absent, an action, or another instance's. */
  byId(customerId: string, instanceId: string, id: string): Promise<SentMessageInfo | null>;
  /** The instance's message by WhatsApp's id; null when absent or an action. */
  byWhatsappId(instanceId: string, whatsappId: string): Promise<SentMessageInfo | null>;
}
