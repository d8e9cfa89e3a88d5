/*
 * CIDR ranges over the integers of ip-address.ts. A range matches only addresses of its own family;
 * IPv4-mapped and -compatible IPv6 forms are unwrapped by the policy, not here.
 */
import { parseIpAddress, type IpAddress } from './ip-address.js';

export interface Cidr {
  readonly family: 4 | 6;
  readonly base: bigint;
  readonly prefix: number;
  /** The range as written in canonical-enough form, for messages. */
  readonly text: string;
}

/** Parses `address/prefix` (or a bare address: a single-address range); undefined when malformed. */
export function parseCidr(text: string): Cidr | undefined {
  const [addressText = '', prefixText, extra] = text.trim().split('/');
  if (extra !== undefined) return undefined;
  const address = parseIpAddress(addressText);
  if (address === undefined || addressText.includes('%') || addressText.startsWith('[')) return undefined;
  const bits = address.family === 4 ? 32 : 128;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (prefix > bits) return undefined;
  return { family: address.family, base: address.value, prefix, text: `${addressText}/${prefix}` };
}

/** Whether the range's address has bits set past the prefix (10.0.0.1/8). */
export function hasHostBits(cidr: Cidr): boolean {
  return (cidr.base & hostMask(cidr)) !== 0n;
}

export function cidrContains(cidr: Cidr, address: IpAddress): boolean {
  if (cidr.family !== address.family) return false;
  const mask = ~hostMask(cidr);
  return (address.value & mask) === (cidr.base & mask);
}

/** For constant tables: throws on a malformed range (a programming error). */
export function cidr(text: string): Cidr {
  const parsed = parseCidr(text);
  if (parsed === undefined || hasHostBits(parsed)) throw new Error(`Bad CIDR constant ${text}`);
  return parsed;
}

function hostMask(range: Cidr): bigint {
  const bits = range.family === 4 ? 32n : 128n;
  return (1n << (bits - BigInt(range.prefix))) - 1n;
}
