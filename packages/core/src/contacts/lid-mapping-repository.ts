/*
 * The phone numbers we learnt behind LIDs (table `contact_lids`), per customer. WhatsApp addresses more and
 * more people by LID (`<digits>@lid`) and tells the phone number only now and then (a message carrying both,
 * a mapping pushed to the device, a lookup); remembering it lets every later event about that LID carry the
 * number. A mapping is learnt once and kept: a second, different number for a known LID is ignored.
 */

export interface LidMapping {
  /** The LID JID, `<digits>@lid`. */
  readonly lid: string;
  /** The MSISDN behind it. */
  readonly phoneNumber: string;
  /** The instance that learnt it first; null once that instance is gone. */
  readonly instanceId: string | null;
  readonly learnedAt: Date;
}

export interface LidMappingRepository {
  /**
   * Remembers the mapping unless the customer already knows this LID. Returns true when it was new (the
   * first time the customer learnt the number behind the LID), false when the LID was known (nothing written).
   * Concurrent records of one LID: exactly one returns true.
   */
  record(customerId: string, mapping: LidMapping): Promise<boolean>;
  /** The phone number behind the customer's LID, or null when not learnt. */
  phoneNumberOf(customerId: string, lid: string): Promise<string | null>;
  /** The LID learnt for the customer's phone number (the earliest, should there be several), or null. */
  lidOf(customerId: string, phoneNumber: string): Promise<string | null>;
}
