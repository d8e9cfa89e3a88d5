import type { Resolver } from '../../src/index.js';

/** Answers every name with the same addresses. */
export const answering =
  (...addresses: string[]): Resolver =>
  async () =>
    addresses;

/** Answers each lookup with the next entry (the last one repeats): a name that rebinds. */
export function rebinding(...answers: string[][]): Resolver & { readonly calls: () => number } {
  let calls = 0;
  const resolve = async (): Promise<readonly string[]> => {
    const answer = answers[Math.min(calls, answers.length - 1)] ?? [];
    calls += 1;
    return answer;
  };
  return Object.assign(resolve, { calls: () => calls });
}

/** A resolver for names that must never be resolved. */
export const failing: Resolver = async (hostname) => {
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
};
