/*
 * The whole policy for one URL: syntax, then every address the name resolves to. One forbidden address
 * refuses the URL, even when others are public: the client could connect to any of them.
 */
import type { AddressPolicy } from './address-policy.js';
import { parseOutboundUrl } from './parse-outbound-url.js';
import type { Resolver } from './resolver.js';
import { forbiddenLiteralRefusal, hostNotPublicRefusal, isRefusal, type UrlRefusal } from './url-refusal.js';

export interface CheckedTarget {
  readonly url: URL;
  readonly hostname: string;
  /** Every resolved address; all passed the policy. Connections go to these and nowhere else. */
  readonly addresses: readonly string[];
}

export interface TargetCheckerDeps {
  readonly requireHttps: boolean;
  readonly isAllowed: AddressPolicy;
  readonly resolve: Resolver;
}

export type TargetChecker = (input: string) => Promise<CheckedTarget | UrlRefusal>;

export function createTargetChecker({ requireHttps, isAllowed, resolve }: TargetCheckerDeps): TargetChecker {
  return async (input) => {
    const parsed = parseOutboundUrl(input, requireHttps);
    if (isRefusal(parsed)) return parsed;
    const { url, hostname, literal } = parsed;
    if (literal) {
      const verdict = isAllowed(hostname);
      if (!verdict.allowed) return forbiddenLiteralRefusal(hostname, verdict.range);
      return { url, hostname, addresses: [hostname] };
    }
    let addresses: readonly string[];
    try {
      addresses = await resolve(hostname);
    } catch {
      return hostNotPublicRefusal({ hostname, cause: 'unresolvable' });
    }
    if (addresses.length === 0) return hostNotPublicRefusal({ hostname, cause: 'unresolvable' });
    for (const address of addresses) {
      const verdict = isAllowed(address);
      if (!verdict.allowed) {
        return hostNotPublicRefusal({ hostname, cause: 'forbidden_address', address, ...(verdict.range && { range: verdict.range }) });
      }
    }
    return { url, hostname, addresses: [...addresses] };
  };
}
