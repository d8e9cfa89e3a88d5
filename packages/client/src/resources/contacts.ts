import type { ActionAccepted, Blocklist, BusinessProfile, CheckContactsParams, Contact, ContactCheckList, Lid, ProfilePicture } from '../api-types.js';
import { sendIdempotent, type SendOptions } from '../http/idempotent-request.js';
import type { CallOptions, Transport } from '../http/transport.js';
import { routeOf } from '../routes.js';
import type { AcceptedAction } from './messages.js';

/**
 * Contacts of an instance. The lookups ask WhatsApp live (a 504 `upstream_timeout` when it does not answer in
 * time); blocking is staged in the instance's outbox (202), with an Idempotency-Key like a send.
 * `contact` is a phone number, a phone JID (`…@s.whatsapp.net`) or a LID (`…@lid`).
 */
export class Contacts {
  constructor(private readonly transport: Transport) {}

  /** Which of 1 to 50 phone numbers are on WhatsApp, one answer per number in the order given. */
  check(instanceId: string, params: CheckContactsParams, options: CallOptions = {}): Promise<ContactCheckList> {
    // A POST only to carry the list: it changes nothing, so repeating it is harmless.
    return this.transport.json({ ...routeOf('checkContacts', { id: instanceId }), body: params, retry: true, signal: options.signal });
  }

  /** A contact with both addresses as far as known; 404 when the address is not on WhatsApp. */
  get(instanceId: string, contact: string, options: CallOptions = {}): Promise<Contact> {
    return this.lookup('getContact', instanceId, contact, options);
  }

  /** A signed URL of the contact's picture (served by this API), or `url: null` when there is none or it is hidden. */
  profilePicture(instanceId: string, contact: string, options: CallOptions = {}): Promise<ProfilePicture> {
    return this.lookup('getContactProfilePicture', instanceId, contact, options);
  }

  /** The business profile; 404 when the contact is not a business account. */
  businessProfile(instanceId: string, contact: string, options: CallOptions = {}): Promise<BusinessProfile> {
    return this.lookup('getContactBusinessProfile', instanceId, contact, options);
  }

  /** Blocks the contact (staged in the outbox). */
  block(instanceId: string, contact: string, options?: SendOptions): Promise<AcceptedAction> {
    return sendIdempotent<ActionAccepted>(this.transport, routeOf('blockContact', { id: instanceId, contact }), options);
  }

  /** Unblocks the contact (staged in the outbox). */
  unblock(instanceId: string, contact: string, options?: SendOptions): Promise<AcceptedAction> {
    return sendIdempotent<ActionAccepted>(this.transport, routeOf('unblockContact', { id: instanceId, contact }), options);
  }

  /** Everyone this number has blocked. */
  blocklist(instanceId: string, options: CallOptions = {}): Promise<Blocklist> {
    return this.transport.json({ ...routeOf('getBlocklist', { id: instanceId }), retry: true, signal: options.signal });
  }

  private lookup<T>(
    operation: 'getContact' | 'getContactProfilePicture' | 'getContactBusinessProfile',
    instanceId: string,
    contact: string,
    options: CallOptions,
  ): Promise<T> {
    return this.transport.json<T>({ ...routeOf(operation, { id: instanceId, contact }), retry: true, signal: options.signal });
  }
}

/** LIDs, WhatsApp's privacy addresses (`…@lid`), and the phone numbers behind them. */
export class Lids {
  constructor(private readonly transport: Transport) {}

  /**
   * The phone number behind `lid` (`<digits>@lid` or the digits): what was learnt before answers at once, also
   * while the instance is down; otherwise WhatsApp is asked. `phone_number` is null when WhatsApp does not tell.
   */
  get(instanceId: string, lid: string, options: CallOptions = {}): Promise<Lid> {
    return this.transport.json({ ...routeOf('resolveLid', { id: instanceId, lid }), retry: true, signal: options.signal });
  }
}
