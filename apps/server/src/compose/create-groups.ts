/*
 * Groups: the use cases (live operations through the sessions, settings changes and leaving through the
 * outbox) and the handler that turns the sessions' group events into `group.*` events (it exists before the
 * sessions, which call it).
 */
import {
  createGroupEventHandler,
  createGroupUseCases,
  type Clock,
  type EventRecorder,
  type GroupEventHandlerDeps,
  type OutboundHttp,
  type SessionLookups,
  type StageOutboxAction,
  type UnitOfWork,
} from '@whatisup/core';

export interface GroupEventsDeps {
  readonly uow: UnitOfWork;
  readonly clock: Clock;
  readonly events: EventRecorder;
}

/** What the sessions call with their group events; people named by both addresses feed LID learning. */
export const createGroupEvents = (deps: GroupEventsDeps & { readonly learn?: GroupEventHandlerDeps['learn'] }) => ({
  onGroupEvent: createGroupEventHandler(deps),
});

export interface GroupsDeps extends GroupEventsDeps {
  readonly lookups: SessionLookups;
  readonly stageOutboxAction: StageOutboxAction;
  readonly outbound: Pick<OutboundHttp, 'download'>;
  /** WHATSAPP_LOOKUP_TIMEOUT_MS: a pending creation holds its Idempotency-Key for three times this long. */
  readonly lookupTimeoutMs: number;
}

export const createGroups = (deps: GroupsDeps) => createGroupUseCases({ ...deps, creationClaimTtlMs: 3 * deps.lookupTimeoutMs });
