/*
 * Stages an outbox action (see outbox-action.ts) for an instance the principal may act on, and wakes the
 * instance's outbox after the commit: the route answers 202 at once and the outbox worker performs it in
 * acceptance order with the sends. The building block of every state-changing conversation operation (block,
 * unblock, and later presence, read receipts, edits, group changes): a use case checks its own input, builds
 * the action, and stages it here.
 *
 * Idempotency as for sends: a repeat of the same Idempotency-Key with the same request returns the first
 * action (`created: false`) and stages nothing; with a different request it is `idempotency_conflict`. The
 * key space is shared with sends (one key names one request, whatever it was). A repeat is answered before
 * the connection check.
 */
import { DomainError, newId, parseWithSchema, type Clock, type JobQueue, type Principal, type UnitOfWork } from '../../shared/index.js';
import { findInstanceInScope } from '../../instances/index.js';
import type { SessionAction } from '../../sessions/index.js';
import type { Message } from '../message.js';
import type { MessageRepositories } from '../message-repositories.js';
import { IdempotencyKeySchema } from '../schemas/send-message-body-schema.js';
import { outboxJobId } from './outbox-job.js';
import { messageRequestHash } from './request-hash.js';

export interface StageOutboxActionDeps {
  readonly uow: UnitOfWork<MessageRepositories>;
  readonly clock: Clock;
  readonly outboxQueue: Pick<JobQueue, 'enqueue'>;
}

export interface StageOutboxActionInput {
  readonly instanceId: string;
  readonly action: SessionAction;
  /** The JID the action is about (the contact, the chat); stored as the row's recipient. */
  readonly target: string;
  readonly idempotencyKey?: string | null | undefined;
}

export type StageOutboxAction = (principal: Principal, input: StageOutboxActionInput) => Promise<{ action: Message; created: boolean }>;

const ACTIONABLE = ['connected', 'reconnecting'];

function sameRequestOrConflict(existing: Message, requestHash: string): Message {
  if (existing.requestHash !== requestHash) {
    throw new DomainError('idempotency_conflict', 'This idempotency key was used for a different request.', { id: existing.id });
  }
  return existing;
}

/**
 * Throws `not_found`, `forbidden` (key bound to another instance), `invalid_input` (a malformed
 * Idempotency-Key), `not_connected` (instance neither connected nor reconnecting), `idempotency_conflict`.
 */
export function createStageOutboxAction({ uow, clock, outboxQueue }: StageOutboxActionDeps): StageOutboxAction {
  return async (principal, input) => {
    const idempotencyKey =
      input.idempotencyKey === undefined || input.idempotencyKey === null
        ? null
        : parseWithSchema(IdempotencyKeySchema, input.idempotencyKey, 'idempotency_key');
    const instance = await findInstanceInScope(uow.repos, principal, input.instanceId);
    const body = { type: 'action', action: input.action } as const;
    const requestHash = messageRequestHash({ instanceId: instance.id, recipient: input.target, body, clientRef: null, replyTo: null });
    if (idempotencyKey !== null) {
      const repeat = await uow.repos.messages.findByIdempotencyKey(principal.customerId, idempotencyKey);
      if (repeat !== null) return { action: sameRequestOrConflict(repeat, requestHash), created: false };
    }
    if (!ACTIONABLE.includes(instance.status)) {
      throw new DomainError('not_connected', `The instance is ${instance.status}; it must be connected.`, {
        instance_id: instance.id,
        status: instance.status,
      });
    }
    const now = clock.now();
    return uow.transaction(async (repos, tx) => {
      const result = await repos.messages.stage({
        id: newId('action', now.getTime()),
        customerId: principal.customerId,
        instanceId: instance.id,
        recipient: input.target,
        body,
        replyTo: null,
        clientRef: null,
        idempotencyKey,
        requestHash,
        status: 'queued',
        whatsappId: null,
        error: null,
        attemptCount: 0,
        nextAttemptAt: now,
        createdAt: now,
        updatedAt: now,
      });
      if (result.outcome === 'duplicate') return { action: sameRequestOrConflict(result.existing, requestHash), created: false };
      tx.afterCommit(() => outboxQueue.enqueue([{ id: outboxJobId(instance.id), data: { customerId: principal.customerId } }]));
      return { action: result.message, created: true };
    });
  };
}
