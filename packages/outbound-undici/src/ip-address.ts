/*
 * IP addresses as (family, 128- or 32-bit integer) so ranges are plain integer comparisons. Only text
 * that node:net accepts as an address is parsed; everything else is undefined.
 */
import { isIP } from 'node:net';

export interface IpAddress {
  readonly family: 4 | 6;
  readonly value: bigint;
}

export function parseIpAddress(text: string): IpAddress | undefined {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const family = isIP(bare);
  if (family === 4) return { family: 4, value: parseIpv4(bare) };
  if (family === 6) return { family: 6, value: parseIpv6(stripZone(bare)) };
  return undefined;
}

/** The IPv4 address embedded in the low 32 bits of an IPv6 address. */
export function lowIpv4(address: IpAddress): IpAddress {
  return { family: 4, value: address.value & 0xffff_ffffn };
}

function stripZone(text: string): string {
  const percent = text.indexOf('%');
  return percent === -1 ? text : text.slice(0, percent);
}

function parseIpv4(text: string): bigint {
  return text.split('.').reduce((value, octet) => (value << 8n) | BigInt(Number(octet)), 0n);
}

function parseIpv6(text: string): bigint {
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  // A trailing dotted IPv4 (::ffff:1.2.3.4) becomes its two 16-bit groups.
  const groupsText = tail.includes('.') ? `${text.slice(0, lastColon + 1)}${hexGroups(parseIpv4(tail))}` : text;
  const [head = '', rest] = groupsText.split('::');
  const toGroups = (part: string): bigint[] => (part === '' ? [] : part.split(':').map((g) => BigInt(`0x${g}`)));
  const left = toGroups(head);
  const right = rest === undefined ? [] : toGroups(rest);
  const zeros = new Array<bigint>(8 - left.length - right.length).fill(0n);
  return [...left, ...zeros, ...right].reduce((value, group) => (value << 16n) | group, 0n);
}

function hexGroups(v4: bigint): string {
  return `${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
}
