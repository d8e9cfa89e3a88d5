/*
 * Creates a group: a live operation, not an outbox action, because the caller needs the new group's id and
 * what happened to each participant to go on (see the groups ADR). It runs on the instance's connected session
 * under the lookup deadline.
 *
 * Idempotency-Key: the key is claimed (`pending`) before WhatsApp is asked and holds the answer once given, so
 * a retry returns the first group (`created: false`) instead of creating a second one. A creation that is
 * still running, or whose answer did not come within the deadline, keeps its claim: a retry then gets
 * `conflict` until the late answer is stored (the session keeps waiting for it) or the claim expires. A
 * creation WhatsApp refused frees the key.
 */
import { createHash } from 'node:crypto';
import * as v from 'valibot';
import { DomainError, isDomainError, parseWithSchema, type Clock, type Principal, type UnitOfWork } from '../shared/index.js';
import { findInstanceInScope } from '../instances/index.js';
import { IdempotencyKeySchema } from '../messages/index.js';
import type { SessionLookups } from '../sessions/index.js';
import type { GroupRepositories } from './group-repositories.js';
import { CreateGroupBody, CreatedGroupJson, toParticipantResultJson } from './schemas/group-schemas.js';

export type CreatedGroupResponse = v.InferOutput<typeof CreatedGroupJson>;

export type CreateGroup = (
  principal: Principal,
  input: { readonly instanceId: string; readonly body: unknown; readonly idempotencyKey?: string | null | undefined },
) => Promise<{ readonly group: CreatedGroupResponse; readonly created: boolean }>;

export interface CreateGroupDeps {
  readonly uow: UnitOfWork<GroupRepositories>;
  readonly clock: Clock;
  readonly lookups: SessionLookups;
  /** How long a claimed key stays pending before a retry may take it over; 3× the lookup deadline by default. */
  readonly claimTtlMs?: number;
}

/**
 * Throws invalid_input, not_found, forbidden, not_connected, upstream_timeout, unavailable, conflict (a
 * creation with this key is still running), idempotency_conflict (the key was used for another request).
 */
export function createCreateGroup(deps: CreateGroupDeps): CreateGroup {
  const { uow, clock } = deps;
  const claimTtlMs = deps.claimTtlMs ?? 30_000;
  return async (principal, input) => {
    const body = parseWithSchema(CreateGroupBody, input.body, 'body');
    const idempotencyKey =
      input.idempotencyKey === undefined || input.idempotencyKey === null
        ? null
        : parseWithSchema(IdempotencyKeySchema, input.idempotencyKey, 'idempotency_key');
    const instance = await findInstanceInScope(uow.repos, principal, input.instanceId);
    const requestHash = createHash('sha256').update(JSON.stringify({ instanceId: instance.id, body })).digest('hex');

    if (idempotencyKey !== null) {
      const now = clock.now();
      const claim = await uow.repos.groupCreations.claim({
        customerId: principal.customerId,
        idempotencyKey,
        instanceId: instance.id,
        requestHash,
        createdAt: now,
        expiresAt: new Date(now.getTime() + claimTtlMs),
      });
      if (claim.outcome === 'existing') {
        if (claim.record.requestHash !== requestHash) {
          throw new DomainError('idempotency_conflict', 'This idempotency key was used for a different request.', {});
        }
        if (claim.record.response === null) {
          throw new DomainError('conflict', 'A group creation with this idempotency key is still running; retry later.', { reason: 'in_progress' });
        }
        return { group: claim.record.response as CreatedGroupResponse, created: false };
      }
    }

    const creation = deps.lookups.lookup(instance, async (_directory, groups) => {
      try {
        const created = await groups.create(body.subject, body.participants);
        if (body.description !== undefined && body.description !== '') await groups.update(created.group.id, { description: body.description });
        const response: CreatedGroupResponse = {
          group_id: created.group.id,
          subject: created.group.subject,
          invite_code: created.inviteCode,
          participants: created.results.map(toParticipantResultJson),
        };
        // Stored by the operation itself, so an answer that comes after the deadline still serves the retry.
        if (idempotencyKey !== null) await uow.repos.groupCreations.complete(principal.customerId, idempotencyKey, response);
        return response;
      } catch (error) {
        if (idempotencyKey !== null) await uow.repos.groupCreations.release(principal.customerId, idempotencyKey);
        throw error;
      }
    });
    try {
      return { group: await creation, created: true };
    } catch (error) {
      // Not asked at all: nothing can have been created, so the key is free again.
      if (idempotencyKey !== null && isDomainError(error, 'not_connected')) {
        await uow.repos.groupCreations.release(principal.customerId, idempotencyKey);
      }
      throw error;
    }
  };
}
