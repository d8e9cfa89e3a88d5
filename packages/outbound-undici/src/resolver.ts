import { lookup } from 'node:dns/promises';

/**
 * Every address (A and AAAA) a hostname resolves to. Injectable so tests can play a hostile DNS; the
 * default asks the system resolver (getaddrinfo, /etc/hosts included), as a plain connect would.
 * Rejects when the name does not resolve.
 */
export type Resolver = (hostname: string) => Promise<readonly string[]>;

export const systemResolver: Resolver = async (hostname) => {
  const answers = await lookup(hostname, { all: true, verbatim: true });
  return answers.map((answer) => answer.address);
};
