import { hasHostBits, parseCidr, type Cidr } from './cidr.js';

/**
 * Validates an operator allowlist such as WEBHOOK_ALLOW_CIDRS ("10.0.0.0/8, fd12:3456::/48, 172.18.0.5")
 * and returns its entries as `address/prefix` strings. Entries are separated by commas or whitespace; a
 * bare address is a single-address range; an empty value allows nothing. Throws an Error naming the
 * first bad entry (malformed, prefix too long, or bits set past the prefix).
 */
export function parseAllowCidrs(value: string | readonly string[]): string[] {
  return parseCidrList(value).map((range) => range.text);
}

/** As parseAllowCidrs, for the policy's own use. */
export function parseCidrList(value: string | readonly string[]): Cidr[] {
  const entries = typeof value === 'string' ? value.split(/[\s,]+/) : value.flatMap((entry) => entry.split(/[\s,]+/));
  return entries
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      const parsed = parseCidr(entry);
      if (parsed === undefined) {
        throw new Error(
          `Invalid CIDR "${entry}": expected an IPv4 or IPv6 address with an optional /prefix, e.g. 10.0.0.0/8.`,
        );
      }
      if (hasHostBits(parsed)) {
        throw new Error(`Invalid CIDR "${entry}": bits are set past the /${parsed.prefix} prefix; write its network address.`);
      }
      return parsed;
    });
}
