import { DomainError, type ForbiddenAddressRange, type OutboundFailure, type UnsafeUrlReason } from '@whatisup/core';

/** Why the policy refused a URL, with a message safe to show the caller (it never repeats the URL). */
export interface UrlRefusal {
  readonly reason: UnsafeUrlReason;
  readonly range?: ForbiddenAddressRange;
  readonly address?: string;
  readonly message: string;
}

export function refusal(reason: UnsafeUrlReason, message: string): UrlRefusal {
  return { reason, message };
}

export function forbiddenAddressRefusal(address: string, range: ForbiddenAddressRange | undefined): UrlRefusal {
  const name = range?.replaceAll('_', ' ');
  const what = name === undefined ? 'not a valid address' : `${/^[aeiou]/.test(name) ? 'an' : 'a'} ${name} address`;
  return {
    reason: 'forbidden_address',
    ...(range === undefined ? {} : { range }),
    address,
    message: `The URL's host resolves to ${address}, ${what}; only public addresses may be reached.`,
  };
}

export function isRefusal(value: object): value is UrlRefusal {
  return 'reason' in value;
}

export function unsafeUrlError(refused: UrlRefusal): DomainError {
  const { reason, range, address } = refused;
  return new DomainError('unsafe_url', refused.message, {
    reason,
    ...(range === undefined ? {} : { range }),
    ...(address === undefined ? {} : { address }),
  });
}

/** A refusal at request time: an unresolvable name is a (retryable) DNS failure, the rest unsafe. */
export function refusalFailure(refused: UrlRefusal, durationMs: number): OutboundFailure {
  const { reason, range, message } = refused;
  if (reason === 'unresolvable') return { kind: 'dns_error', message, durationMs };
  return { kind: 'unsafe_url', reason, ...(range === undefined ? {} : { range }), message, durationMs };
}
