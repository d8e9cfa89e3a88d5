import { afterAll, beforeAll } from 'vitest';
import type { ContractSubject } from './contract-subject.js';

/**
 * Call inside a `describe`: sets the subject up before its tests and cleans up after them. Any subject with
 * an optional `cleanup` fits (the repository suites' `ContractSubject`, the event recorder's, ...).
 */
export function useContractSubject<S extends { readonly cleanup?: (() => Promise<void>) | undefined } = ContractSubject>(
  setup: () => Promise<S>,
): () => S {
  let subject: S | undefined;
  beforeAll(async () => {
    subject = await setup();
  });
  afterAll(async () => {
    await subject?.cleanup?.();
  });
  return () => {
    if (subject === undefined) throw new Error('contract subject used before setup ran');
    return subject;
  };
}
