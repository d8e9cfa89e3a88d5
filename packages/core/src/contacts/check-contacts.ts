import * as v from 'valibot';
import { parseWithSchema, type Principal } from '../shared/index.js';
import type { InstanceLookup, NumberCheck } from '../sessions/index.js';
import type { LearnLidMapping } from './learn-lid-mapping.js';
import { CheckContactsBody } from './schemas/contact-schemas.js';

export type CheckContacts = (
  principal: Principal,
  input: { readonly instanceId: string; readonly phoneNumbers: readonly string[] },
) => Promise<NumberCheck[]>;

/**
 * Whether each number is on WhatsApp (`POST /v1/instances/:id/contacts/check`), in the order given; a LID
 * WhatsApp tells with an answer is learnt. Throws invalid_input (0 or more than 50 numbers, a malformed one),
 * not_found, forbidden, not_connected, upstream_timeout, unavailable.
 */
export function createCheckContacts(deps: { readonly lookup: InstanceLookup; readonly learn: LearnLidMapping }): CheckContacts {
  return async (principal, input) => {
    const { phone_numbers } = parseWithSchema(CheckContactsBody, { phone_numbers: input.phoneNumbers });
    const unique = [...new Set(phone_numbers)];
    const { checks, instance } = await deps.lookup(principal, input.instanceId, async (directory, instance) => ({
      checks: await directory.checkNumbers(unique),
      instance,
    }));
    for (const check of checks) {
      if (check.exists && check.lid !== null) await deps.learn(instance, { lid: check.lid, phoneNumber: check.phoneNumber });
    }
    const byNumber = new Map(checks.map((check) => [check.phoneNumber, check]));
    return phone_numbers.map(
      (phoneNumber): NumberCheck => byNumber.get(phoneNumber) ?? { phoneNumber, exists: false, jid: null, lid: null },
    );
  };
}

export type CheckContactsInput = v.InferOutput<typeof CheckContactsBody>;
