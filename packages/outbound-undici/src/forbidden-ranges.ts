/*
 * Every special-purpose range (IANA IPv4 and IPv6 Special-Purpose Address Registries) that a webhook or
 * media URL must not reach. Order matters only where ranges nest: the first match names the reason.
 * IPv6 is refused outright outside 2000::/3 (global unicast), so a range IANA adds later in the rest of the
 * space is refused by default. IPv4-mapped addresses are judged by the IPv4 address they carry.
 */
import type { ForbiddenAddressRange } from '@whatisup/core';
import { cidr, cidrContains, type Cidr } from './cidr.js';
import { lowIpv4, type IpAddress } from './ip-address.js';

type RangeTable = ReadonlyArray<readonly [Cidr, ForbiddenAddressRange]>;

const IPV4: RangeTable = [
  [cidr('169.254.169.254/32'), 'cloud_metadata'], // AWS, GCP, Azure IMDS, OCI, DigitalOcean
  [cidr('169.254.170.2/32'), 'cloud_metadata'], // AWS ECS task metadata and credentials
  [cidr('169.254.170.23/32'), 'cloud_metadata'], // AWS EKS Pod Identity agent
  [cidr('168.63.129.16/32'), 'cloud_metadata'], // Azure wireserver (a public address)
  [cidr('100.100.100.200/32'), 'cloud_metadata'], // Alibaba Cloud
  [cidr('0.0.0.0/32'), 'unspecified'],
  [cidr('0.0.0.0/8'), 'this_network'],
  [cidr('10.0.0.0/8'), 'private'],
  [cidr('100.64.0.0/10'), 'cgnat'],
  [cidr('127.0.0.0/8'), 'loopback'],
  [cidr('169.254.0.0/16'), 'link_local'],
  [cidr('172.16.0.0/12'), 'private'],
  [cidr('192.0.0.0/24'), 'ietf_protocol'],
  [cidr('192.0.2.0/24'), 'documentation'],
  [cidr('192.88.99.0/24'), '6to4'], // deprecated 6to4 relay anycast
  [cidr('192.168.0.0/16'), 'private'],
  [cidr('198.18.0.0/15'), 'benchmarking'],
  [cidr('198.51.100.0/24'), 'documentation'],
  [cidr('203.0.113.0/24'), 'documentation'],
  [cidr('224.0.0.0/4'), 'multicast'],
  [cidr('255.255.255.255/32'), 'broadcast'],
  [cidr('240.0.0.0/4'), 'reserved'],
];

const IPV4_MAPPED = cidr('::ffff:0:0/96');
const GLOBAL_UNICAST = cidr('2000::/3');
const NAT64 = cidr('64:ff9b::/96');

const IPV6: RangeTable = [
  [cidr('fd00:ec2::254/128'), 'cloud_metadata'], // AWS IMDS over IPv6
  [cidr('fd00:ec2::23/128'), 'cloud_metadata'], // AWS EKS Pod Identity agent over IPv6
  [cidr('::/128'), 'unspecified'],
  [cidr('::1/128'), 'loopback'],
  [cidr('::/96'), 'ipv4_compatible'], // deprecated (RFC 4291); never a legitimate destination
  [cidr('64:ff9b::/96'), 'nat64'],
  [cidr('64:ff9b:1::/48'), 'nat64'],
  [cidr('100::/64'), 'discard_only'],
  [cidr('2001::/32'), 'teredo'],
  [cidr('2001:2::/48'), 'benchmarking'],
  [cidr('2001:10::/28'), 'orchid'],
  [cidr('2001:20::/28'), 'orchid'],
  [cidr('2001:db8::/32'), 'documentation'],
  [cidr('2001::/23'), 'ietf_protocol'],
  [cidr('2002::/16'), '6to4'],
  [cidr('3fff::/20'), 'documentation'],
  [cidr('fc00::/7'), 'unique_local'],
  [cidr('fe80::/10'), 'link_local'],
  [cidr('fec0::/10'), 'site_local'],
  [cidr('ff00::/8'), 'multicast'],
];

/** Ranges that no operator allowlist can open: they are never a unicast service on one's own network. */
export const ALWAYS_FORBIDDEN: ReadonlySet<ForbiddenAddressRange> = new Set([
  'cloud_metadata',
  'unspecified',
  'this_network',
  'broadcast',
  'multicast',
]);

/** The forbidden range the address falls in, or undefined for a public unicast address. */
export function forbiddenRangeOf(address: IpAddress): ForbiddenAddressRange | undefined {
  const unwrapped = unwrapMappedIpv4(address);
  if (unwrapped.family === 4) return firstMatch(IPV4, unwrapped);
  // A NAT64 gateway would carry 64:ff9b::a9fe:a9fe to the IPv4 metadata service, whatever the allowlist says.
  if (cidrContains(NAT64, address) && firstMatch(IPV4, lowIpv4(address)) === 'cloud_metadata') return 'cloud_metadata';
  const special = firstMatch(IPV6, address);
  if (special !== undefined) return special;
  return cidrContains(GLOBAL_UNICAST, address) ? undefined : 'not_global_unicast';
}

/** The IPv4 address an IPv4-mapped IPv6 address (::ffff:a.b.c.d) carries; any other address as is. */
export function unwrapMappedIpv4(address: IpAddress): IpAddress {
  return address.family === 6 && cidrContains(IPV4_MAPPED, address) ? lowIpv4(address) : address;
}

function firstMatch(table: RangeTable, address: IpAddress): ForbiddenAddressRange | undefined {
  return table.find(([range]) => cidrContains(range, address))?.[1];
}
