/*
 * Live lookups on a connected session: questions only WhatsApp can answer (is this number on WhatsApp,
 * which phone number hides behind a LID, a contact's profile). Read-only: nothing here changes WhatsApp
 * state (that goes through the outbox as a `SessionAction`). The caller bounds every call with a deadline
 * (session-lookups.ts); an implementation need not time out on its own.
 *
 * Addresses are as on the session port: an MSISDN (digits, no `+`) or a JID (`…@s.whatsapp.net`, `…@lid`).
 * Every method throws `WhatsAppSendError('not_connected')` when the connection is not open.
 */

/** What WhatsApp says about one phone number. */
export interface NumberCheck {
  /** The number as asked (MSISDN). */
  readonly phoneNumber: string;
  readonly exists: boolean;
  /** The phone JID (`<digits>@s.whatsapp.net`) when it exists, else null. */
  readonly jid: string | null;
  /** The LID JID (`<digits>@lid`) when WhatsApp told it, else null. */
  readonly lid: string | null;
}

export interface ContactInfo {
  /** The phone JID when the number is known, else the LID JID. */
  readonly jid: string;
  /** MSISDN, or null when only the LID is known. */
  readonly phoneNumber: string | null;
  /** LID JID, or null when WhatsApp did not tell it. */
  readonly lid: string | null;
  /** The name the contact gave themselves, when this instance has seen it. */
  readonly pushName: string | null;
  readonly isBusiness: boolean;
}

export interface BusinessProfile {
  readonly description: string | null;
  readonly category: string | null;
  readonly email: string | null;
  readonly websites: readonly string[];
  readonly address: string | null;
}

/** A profile picture: a URL WhatsApp's CDN serves (fetched by the caller), or the bytes themselves. */
export type ProfilePicture =
  | { readonly kind: 'url'; readonly url: string }
  | { readonly kind: 'bytes'; readonly data: Uint8Array; readonly mimeType: string };

export interface WhatsAppDirectory {
  /** One answer per number, in the order asked. */
  checkNumbers(phoneNumbers: readonly string[]): Promise<NumberCheck[]>;
  /** The MSISDN behind a LID JID, or null when WhatsApp has not told this device. */
  phoneNumberOfLid(lid: string): Promise<string | null>;
  /** What the session knows of a contact, or null when the address is not on WhatsApp. */
  contact(address: string): Promise<ContactInfo | null>;
  /** The contact's profile picture, or null when there is none or it is hidden from us. */
  profilePicture(address: string): Promise<ProfilePicture | null>;
  /** The contact's business profile, or null when the contact is not a business. */
  businessProfile(address: string): Promise<BusinessProfile | null>;
  /** The JIDs this number has blocked. */
  blocklist(): Promise<string[]>;
}
