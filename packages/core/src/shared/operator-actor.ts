import type { Actor } from './actor.js';
import { DomainError } from './errors.js';

/** The operator's CLI, the actor of every operator use case unless a caller says otherwise. */
export const CLI_ACTOR: Actor = { type: 'cli' };

/** Operator use cases are not reachable with an API key: guard it so a wiring mistake cannot expose them. */
export function assertOperator(actor: Actor): void {
  if (actor.type === 'api_key') {
    throw new DomainError('forbidden', 'This operation is reserved to the operator.');
  }
}
