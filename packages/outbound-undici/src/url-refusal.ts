/*
 * What a refused URL tells whom. The caller (API answer, a delivery's last_error) learns the rule only when
 * the URL itself shows it: a scheme, userinfo, or an IP literal's range. For a host name, an unresolvable
 * name and a name that resolves to a non-public address get the same answer, with neither the address nor
 * the range: otherwise the API would tell a tenant which internal names exist and where they point. The
 * server log gets the details through `log`.
 */
import { DomainError, type ForbiddenAddressRange, type OutboundFailure, type UnsafeUrlReason } from '@whatisup/core';
import { ALWAYS_FORBIDDEN } from './forbidden-ranges.js';

/** For the server log only: never shown to the caller. */
export interface RefusalLogDetails {
  readonly hostname: string;
  readonly cause: 'unresolvable' | 'forbidden_address';
  /** The refused address (absent when the name did not resolve). */
  readonly address?: string;
  readonly range?: ForbiddenAddressRange;
}

/** Why the policy refused a URL, with a message safe to show the caller (it never repeats the URL). */
export interface UrlRefusal {
  readonly reason: UnsafeUrlReason;
  /** Only for an IP literal: the caller wrote the address, so naming its range reveals nothing. */
  readonly range?: ForbiddenAddressRange;
  readonly message: string;
  readonly log?: RefusalLogDetails;
}

const ALLOW_HINT = 'Only public addresses may be reached unless the server operator allows the range with WEBHOOK_ALLOW_CIDRS.';

export const HOST_NOT_PUBLIC_MESSAGE = `The URL's host does not resolve to a public address. ${ALLOW_HINT}`;

export function refusal(reason: UnsafeUrlReason, message: string): UrlRefusal {
  return { reason, message };
}

/** A literal address in a forbidden range (or not an address at all, range undefined). */
export function forbiddenLiteralRefusal(hostname: string, range: ForbiddenAddressRange | undefined): UrlRefusal {
  const log: RefusalLogDetails = { hostname, cause: 'forbidden_address', address: hostname, ...(range && { range }) };
  if (range === undefined) return { reason: 'forbidden_address', message: 'The URL\'s host is not a valid address.', log };
  const name = range.replaceAll('_', ' ');
  const what = `The URL's host is ${/^[aeiou]/.test(name) ? 'an' : 'a'} ${name} address`;
  const message = ALWAYS_FORBIDDEN.has(range) ? `${what}, which can never be reached.` : `${what}. ${ALLOW_HINT}`;
  return { reason: 'forbidden_address', range, message, log };
}

/** A name that does not resolve, or resolves to at least one forbidden address: one answer for both. */
export function hostNotPublicRefusal(log: RefusalLogDetails): UrlRefusal {
  return { reason: 'host_not_public', message: HOST_NOT_PUBLIC_MESSAGE, log };
}

export function isRefusal(value: object): value is UrlRefusal {
  return 'reason' in value;
}

export function unsafeUrlError(refused: UrlRefusal): DomainError {
  const { reason, range } = refused;
  return new DomainError('unsafe_url', refused.message, { reason, ...(range === undefined ? {} : { range }) });
}

/** A refusal at request time, worded as at check time (a delivery's last_error is shown to the customer). */
export function refusalFailure(refused: UrlRefusal, durationMs: number): OutboundFailure {
  const { reason, range, message } = refused;
  return { kind: 'unsafe_url', reason, ...(range === undefined ? {} : { range }), message, durationMs };
}
