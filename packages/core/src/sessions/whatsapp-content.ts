/*
 * What travels through the WhatsApp session port, in domain terms: the content we send and the messages we
 * receive. No Baileys type appears here; the Baileys adapter and the sandbox adapter both map to and from
 * these shapes, so the rest of the system cannot tell a real phone from a simulated one.
 *
 * Addresses: `to` and every JID-like field is either an MSISDN (digits, no `+`) or a full JID
 * (`...@s.whatsapp.net`, `...@g.us` for groups, `...@lid` when WhatsApp hides the phone number).
 * Media reaches the port as bytes: fetching a `media_url` happens before, through the guarded HTTP client.
 */

/** A message we can point at: the target of a reaction, or the message a reply quotes. */
export interface MessageReference {
  /** WhatsApp's message id (not our `msg_` id). */
  readonly whatsappId: string;
  /** The chat the message lives in (JID or MSISDN). */
  readonly chatId: string;
  /** True when the referenced message was sent by this instance. */
  readonly fromMe: boolean;
  /** In a group, who sent the referenced message (JID or MSISDN). */
  readonly participant?: string;
  /** The referenced message's text, when known, so a quote can show a preview. */
  readonly text?: string;
}

export interface OutboundMedia {
  readonly data: Uint8Array;
  readonly mimeType: string;
}

export type OutboundContent =
  | {
      readonly type: 'text';
      readonly text: string;
      /** Off unless asked for: generating a preview makes the server fetch the link. */
      readonly linkPreview?: boolean;
      /** MSISDNs or JIDs to mention (group text); the text should contain `@<number>` for each. */
      readonly mentions?: readonly string[];
    }
  | { readonly type: 'image'; readonly media: OutboundMedia; readonly caption?: string; readonly viewOnce?: boolean }
  | { readonly type: 'video'; readonly media: OutboundMedia; readonly caption?: string; readonly gifPlayback?: boolean; readonly viewOnce?: boolean }
  | {
      readonly type: 'audio';
      readonly media: OutboundMedia;
      /** A voice note rather than an audio file. */
      readonly ptt?: boolean;
      /** Playable once (the recipient cannot keep it). */
      readonly viewOnce?: boolean;
    }
  | { readonly type: 'document'; readonly media: OutboundMedia; readonly filename: string; readonly caption?: string }
  | { readonly type: 'sticker'; /** WebP. */ readonly media: OutboundMedia }
  | {
      readonly type: 'location';
      readonly latitude: number;
      readonly longitude: number;
      readonly name?: string;
      readonly address?: string;
    }
  | { readonly type: 'contact'; readonly displayName?: string; /** A vCard 3.0 text. */ readonly vcard: string }
  | {
      readonly type: 'reaction';
      /** One emoji; the empty string removes an earlier reaction. */
      readonly emoji: string;
      readonly target: MessageReference;
    }
  | { readonly type: 'poll'; readonly question: string; readonly options: readonly string[]; /** How many a voter may pick. */ readonly selectableCount: number };

export type OutboundContentType = OutboundContent['type'];

export interface SendOptions {
  /** Quote this message (a reply). */
  readonly replyTo?: MessageReference;
  /** Mark the message as forwarded (WhatsApp shows "Forwarded"). */
  readonly forwarded?: boolean;
  /**
   * Our stable id for this message (the `msg_` id). Sending the same message again (a retry after a timeout,
   * a resend after a crash) passes the same id, and an adapter that can uses it to derive the WhatsApp message
   * id, so the repeat is the same WhatsApp message rather than a second one.
   */
  readonly idempotencyId?: string;
  /** Post to the account's status (`to` is `status@broadcast`), shown to the `audience` only. */
  readonly statusPost?: StatusPostOptions;
}

/** How a status post is shown: who may see it, and a text post's background and font. */
export interface StatusPostOptions {
  /** MSISDNs or JIDs of the people who may see it (WhatsApp shows a status only to the devices named). */
  readonly audience: readonly string[];
  /** A text post's background, `#RRGGBB`. */
  readonly backgroundColor?: string;
  /** A text post's font (WhatsApp's font numbers, 0-9). */
  readonly font?: number;
}

/** Where WhatsApp's status posts ("stories") are sent. */
export const STATUS_BROADCAST_JID = 'status@broadcast';

/** An inbound attachment. Bytes are not inlined: `download()` fetches (or returns) them when wanted. */
export interface InboundMedia {
  readonly mimeType: string;
  /** Size in bytes as announced by the sender, or null when unknown. */
  readonly size: number | null;
  readonly filename: string | null;
  /** Resolves with the bytes; rejects when the media can no longer be fetched (expired on WhatsApp). */
  download(): Promise<Uint8Array>;
}

export type InboundBody =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'image'; readonly media: InboundMedia; readonly caption: string | null }
  | { readonly type: 'video'; readonly media: InboundMedia; readonly caption: string | null }
  | { readonly type: 'audio'; readonly media: InboundMedia; readonly ptt: boolean }
  | { readonly type: 'document'; readonly media: InboundMedia; readonly caption: string | null }
  | { readonly type: 'sticker'; readonly media: InboundMedia }
  | {
      readonly type: 'location';
      readonly latitude: number;
      readonly longitude: number;
      readonly name: string | null;
      readonly address: string | null;
    }
  | { readonly type: 'contact'; readonly displayName: string | null; readonly vcard: string }
  | { readonly type: 'reaction'; /** Empty when the sender removed the reaction. */ readonly emoji: string; readonly target: MessageReference }
  /** A kind we do not map (polls, events, ...): reported so nothing vanishes silently. */
  | { readonly type: 'unsupported'; readonly kind: string };

export type InboundBodyType = InboundBody['type'];

/** A message that arrived on the instance's number, or (with `fromMe`) one sent from the phone itself. */
export interface InboundMessage {
  /** WhatsApp's message id. */
  readonly messageId: string;
  /** The sender: their MSISDN when WhatsApp tells it, else their LID JID (`...@lid`). */
  readonly from: string;
  /** The chat's JID (the group's `...@g.us`, or the other party's JID in a direct chat). */
  readonly chatId: string;
  readonly isGroup: boolean;
  /** In a group, the participant who sent it (MSISDN when known, else LID JID); null in a direct chat. */
  readonly sender: string | null;
  readonly pushName: string | null;
  readonly receivedAt: Date;
  readonly fromMe: boolean;
  readonly body: InboundBody;
  /** The message this one replies to, when it quotes one. */
  readonly replyTo: MessageReference | null;
  /**
   * Who sent it (`sender` in a group, else `from`) in both forms, as far as WhatsApp told: the MSISDN and
   * the LID JID. Absent when the adapter knows no more than `from`/`sender` say.
   */
  readonly author?: PersonIdentity;
}

/** A person by both of WhatsApp's addresses; either may be unknown. */
export interface PersonIdentity {
  /** MSISDN (digits, no `+`), or null when WhatsApp hides it. */
  readonly phoneNumber: string | null;
  /** LID JID (`<digits>@lid`), or null when not known. */
  readonly lid: string | null;
}

/** `played`: a voice note (or other audio) was listened to; it implies `read`. */
export type MessageDeliveryStatus = 'sent' | 'delivered' | 'read' | 'played';

/** A receipt for a message we sent. In groups there is one per participant (`participant` set). */
export interface MessageStatusUpdate {
  readonly whatsappId: string;
  readonly chatId: string;
  readonly status: MessageDeliveryStatus;
  readonly participant?: string;
  /** In a group, the participant by both addresses, as far as WhatsApp told. */
  readonly participantIdentity?: PersonIdentity;
  readonly at: Date;
}

/** Someone's presence in a chat, as WhatsApp reports it to a subscriber. */
export interface PresenceUpdate {
  /** The chat (a person's JID, or a group's). */
  readonly chatId: string;
  /** Whose presence it is: MSISDN when known, else the LID JID. */
  readonly participant: string;
  /** The participant by both addresses, as far as known. */
  readonly author?: PersonIdentity;
  readonly state: 'available' | 'unavailable' | 'typing' | 'recording' | 'paused';
  /** When they were last online, when WhatsApp tells it. */
  readonly lastSeen: Date | null;
}

/** What happened to a call, as the phone reports it. */
export type CallUpdateStatus =
  /** It rings (an offer). */
  | 'offer'
  /** Declined: on the phone, or by another device. */
  | 'rejected'
  /** Answered on the phone or another device. */
  | 'accepted'
  /** Nobody answered (a missed call). */
  | 'timeout'
  /** The caller hung up (or an answered call ended). */
  | 'ended';

/** An incoming voice or video call. */
export interface CallUpdate {
  /** WhatsApp's call id. */
  readonly callId: string;
  /** The caller as WhatsApp addressed them (a phone or LID JID): what `reject_call` takes. */
  readonly from: string;
  /** The caller by both addresses, as far as known. */
  readonly author?: PersonIdentity;
  /** The group the call is in (group calls), else null. */
  readonly groupId: string | null;
  readonly isVideo: boolean;
  readonly isGroup: boolean;
  readonly status: CallUpdateStatus;
  readonly at: Date;
}

/** Someone opened (or played) one of the instance's status posts. */
export interface StoryView {
  /** WhatsApp's id of the status post. */
  readonly whatsappId: string;
  /** The viewer: MSISDN when known, else the LID JID. */
  readonly viewer: string;
  readonly author?: PersonIdentity;
  /** `read` an opened post, `played` a video or voice post played. */
  readonly kind: 'read' | 'played';
  readonly at: Date;
}
