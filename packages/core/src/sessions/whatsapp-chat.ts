/*
 * What a session reports about the account's chats (the chat list a phone shows): a chat learnt or changed
 * (archived, pinned, muted, read, renamed, disappearing messages turned on or off), or removed. Only the
 * fields WhatsApp told are present; an absent field is unchanged. Never message bodies.
 */

export interface ChatUpdate {
  /** The chat JID as events name it (`…@s.whatsapp.net`, `…@g.us`, `…@lid`). */
  readonly chatId: string;
  readonly name?: string | null;
  /** Unread inbound messages as the phone counts them. */
  readonly unreadCount?: number;
  /** "Mark as unread" on the phone (a dot without a count); false once the chat is read. */
  readonly markedUnread?: boolean;
  readonly archived?: boolean;
  readonly pinned?: boolean;
  /** Muted until then; null: not muted. */
  readonly mutedUntil?: Date | null;
  /** Disappearing messages: seconds a message lives, 0 when off. */
  readonly ephemeralSeconds?: number;
  /** The time of the chat's last message, when the report carries it. */
  readonly lastActivityAt?: Date;
}

/** The disappearing-message timers WhatsApp offers (off, 24 hours, 7 days, 90 days). */
export const EPHEMERAL_DURATIONS = [0, 86_400, 604_800, 7_776_000] as const;
