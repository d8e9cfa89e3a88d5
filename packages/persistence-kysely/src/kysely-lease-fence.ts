/*
 * The lease check a fenced write makes inside its own statement. Why that is as safe as calling
 * `SessionLeaseRepository.holds` before the write: see kysely-session-lease-repository.ts.
 */
import type { FenceCheck } from '@whatisup/core';
import { sql, type QueryCreator } from 'kysely';
import type { Database } from './database.js';

/**
 * The lease row a write fenced by `check` requires, locked FOR SHARE: one row while the lease is held
 * under that fence at `check.at`, none otherwise. Used as the CTE `lease` of the write, whose WHERE requires `LEASE_HELD`.
 */
export function heldLease(qb: QueryCreator<Database>, { fence, at }: FenceCheck) {
  return qb
    .selectFrom('session_leases')
    .select(sql<number>`1`.as('held'))
    .where('instance_id', '=', fence.instanceId)
    .where('node_id', '=', fence.nodeId)
    .where('epoch', '=', fence.epoch)
    .where('expires_at', '>', at)
    .forShare();
}

/** The fenced write's condition: the `lease` CTE (heldLease) found the lease. */
export const LEASE_HELD = sql<boolean>`EXISTS (SELECT 1 FROM lease)`;
