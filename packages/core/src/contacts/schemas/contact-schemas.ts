/*
 * The wire shapes of the contact routes, snake_case: request bodies validated at the edge and again in the
 * use cases, and the JSON the routes answer with (the OpenAPI document is built from both).
 */
import * as v from 'valibot';
import type { BusinessProfile, ContactInfo, NumberCheck } from '../../sessions/index.js';
import type { Message } from '../../messages/index.js';
import type { BlockedContact } from '../get-blocklist.js';
import type { ResolvedLid } from '../resolve-lid.js';

export const MAX_CHECKED_NUMBERS = 50;

const PhoneNumber = v.pipe(
  v.string(),
  v.regex(/^[1-9][0-9]{7,14}$/, 'A phone number is 8-15 digits without "+".'),
  v.description('An MSISDN: 8-15 digits, no "+".'),
);

export const CheckContactsBody = v.object({
  phone_numbers: v.pipe(
    v.array(PhoneNumber),
    v.minLength(1, 'Give at least one phone number.'),
    v.maxLength(MAX_CHECKED_NUMBERS, `At most ${MAX_CHECKED_NUMBERS} phone numbers per request.`),
  ),
});

export const ContactParams = v.object({
  id: v.pipe(v.string(), v.maxLength(64)),
  contact: v.pipe(v.string(), v.maxLength(64), v.description('A phone number, a phone JID (…@s.whatsapp.net) or a LID (…@lid).')),
});

export const LidParams = v.object({
  id: v.pipe(v.string(), v.maxLength(64)),
  lid: v.pipe(v.string(), v.maxLength(64), v.description('A LID: `<digits>@lid` (or just the digits).')),
});

const Jid = v.nullable(v.string());

export const ContactCheckJson = v.object({
  input: v.pipe(v.string(), v.description('The phone number as asked.')),
  exists: v.boolean(),
  jid: v.pipe(Jid, v.description('The phone JID when it exists.')),
  lid: v.pipe(Jid, v.description('The LID, when WhatsApp told it.')),
});
export const ContactCheckListJson = v.object({ data: v.array(ContactCheckJson) });

export const ContactJson = v.object({
  jid: v.pipe(v.string(), v.description('The phone JID when the number is known, else the LID.')),
  phone_number: v.nullable(v.string()),
  lid: v.nullable(v.string()),
  push_name: v.nullable(v.string()),
  is_business: v.boolean(),
});

export const LidJson = v.object({ lid: v.string(), phone_number: v.nullable(v.string()) });

export const ProfilePictureJson = v.object({
  url: v.pipe(v.nullable(v.string()), v.description('A signed URL of the picture, served by this API; null when there is none or it is hidden.')),
  expires_at: v.pipe(v.nullable(v.string()), v.description('When the URL stops working (fetch it again then).')),
});

export const BusinessProfileJson = v.object({
  description: v.nullable(v.string()),
  category: v.nullable(v.string()),
  email: v.nullable(v.string()),
  websites: v.array(v.string()),
  address: v.nullable(v.string()),
});

export const BlocklistJson = v.object({
  data: v.array(v.object({ jid: v.string(), phone_number: v.nullable(v.string()), lid: v.nullable(v.string()) })),
});

/** The 202 of a staged action; a repeat (same Idempotency-Key) gets exactly the first answer. */
export const ActionAcceptedJson = v.object({
  action_id: v.pipe(v.string(), v.description('The `act_` id; `action.failed` names it if WhatsApp refuses.')),
  status: v.literal('queued'),
});

export const toContactCheckJson = (check: NumberCheck): v.InferOutput<typeof ContactCheckJson> => ({
  input: check.phoneNumber,
  exists: check.exists,
  jid: check.jid,
  lid: check.lid,
});

export const toContactJson = (contact: ContactInfo): v.InferOutput<typeof ContactJson> => ({
  jid: contact.jid,
  phone_number: contact.phoneNumber,
  lid: contact.lid,
  push_name: contact.pushName,
  is_business: contact.isBusiness,
});

export const toLidJson = (resolved: ResolvedLid): v.InferOutput<typeof LidJson> => ({ lid: resolved.lid, phone_number: resolved.phoneNumber });

export const toBusinessProfileJson = (profile: BusinessProfile): v.InferOutput<typeof BusinessProfileJson> => ({
  description: profile.description,
  category: profile.category,
  email: profile.email,
  websites: [...profile.websites],
  address: profile.address,
});

export const toBlockedContactJson = (blocked: BlockedContact) => ({ jid: blocked.jid, phone_number: blocked.phoneNumber, lid: blocked.lid });

export const toActionAcceptedJson = (action: Message): v.InferOutput<typeof ActionAcceptedJson> => ({ action_id: action.id, status: 'queued' });
