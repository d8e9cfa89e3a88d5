import { afterAll, beforeAll } from 'vitest';
import type { ContractSetup, ContractSubject, SubjectHandle } from './contract-subject.js';

/** Call inside a `describe`: sets the subject up before its tests and cleans up after them. */
export function useContractSubject(setup: ContractSetup): SubjectHandle {
  let subject: ContractSubject | undefined;
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
