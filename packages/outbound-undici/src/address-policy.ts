/*
 * The verdict on one resolved address: public unicast passes; a forbidden range is refused unless the
 * operator allowlisted a CIDR that contains it (and the range is not one of ALWAYS_FORBIDDEN). An
 * allowlisted IPv4 range also covers that address written as IPv4-mapped IPv6.
 */
import type { ForbiddenAddressRange } from '@whatisup/core';
import { cidrContains, type Cidr } from './cidr.js';
import { ALWAYS_FORBIDDEN, forbiddenRangeOf, unwrapMappedIpv4 } from './forbidden-ranges.js';
import { parseIpAddress } from './ip-address.js';

/** `range` is absent when the text is not an address at all (a resolver returning junk). */
export type AddressVerdict =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly range?: ForbiddenAddressRange };

export type AddressPolicy = (address: string) => AddressVerdict;

export function createAddressPolicy(allowCidrs: readonly Cidr[]): AddressPolicy {
  return (text) => {
    const parsed = parseIpAddress(text);
    if (parsed === undefined) return { allowed: false };
    const range = forbiddenRangeOf(parsed);
    if (range === undefined) return { allowed: true };
    const address = unwrapMappedIpv4(parsed);
    const allowlisted = allowCidrs.some((allowed) => cidrContains(allowed, address) || cidrContains(allowed, parsed));
    if (allowlisted && !ALWAYS_FORBIDDEN.has(range)) return { allowed: true };
    return { allowed: false, range };
  };
}
