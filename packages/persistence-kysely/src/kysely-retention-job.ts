/*
 * The periodic retention job of the Postgres adapter: creates the delivery partitions ahead, expires
 * deliveries (whole day partitions, then rows), messages, the Idempotency-Keys of group creations, and chats (idle
 * ones and those of deleted instances). Every process may schedule it; the leader
 * lock makes one of them run it per period (see kysely-leader-lock.ts).
 */
import { DEFAULT_FAILED_RETENTION_DAYS, DEFAULT_SUCCESS_RETENTION_DAYS, type Clock } from '@whatisup/core';
import type { Kysely } from 'kysely';
import type { Database } from './database.js';
import { runAsLeader } from './kysely-leader-lock.js';
import { deleteExpiredMessages } from './kysely-message-retention.js';
import { deleteExpiredChats } from './kysely-chat-retention.js';
import { deleteExpiredRows } from './kysely-webhook-delivery-expiry.js';
import { createDeliveryPartitionsAhead, dropExpiredDeliveryPartitions } from './kysely-webhook-delivery-partitions.js';

export const DEFAULT_MESSAGE_RETENTION_DAYS = 30;
export const DEFAULT_CHAT_RETENTION_DAYS = 180;
export const DEFAULT_PARTITIONS_AHEAD = 7;
const DAY_MS = 86_400_000;

export interface KyselyRetentionJobOptions {
  readonly clock: Clock;
  /** Days a successful delivery is kept after it finished. Default 7. */
  readonly successRetentionDays?: number;
  /** Days a failed delivery is kept (replayable) after it failed. Default 30. */
  readonly failedRetentionDays?: number;
  /** Days a finished message (and its status trail) is kept after its last status change. Default 30. */
  readonly messageRetentionDays?: number;
  /** Days a chat without activity is kept (chats of deleted instances go at the next run). Default 180. */
  readonly chatRetentionDays?: number;
  /** Day partitions kept ready after today's. Default 7: a week without a run before rows spill into the default partition. */
  readonly partitionsAhead?: number;
}

export interface RetentionReport {
  readonly deliveries: { readonly success: number; readonly failed: number };
  readonly messages: number;
  readonly chats: number;
  readonly createdPartitions: readonly string[];
  readonly droppedPartitions: readonly string[];
}

/** The job: resolves to its report, or null when another process holds the lock (it runs there). */
export type RetentionJob = () => Promise<RetentionReport | null>;

/** Throws RangeError for a retention that is not a positive number of days. */
export function createKyselyRetentionJob(db: Kysely<Database>, options: KyselyRetentionJobOptions): RetentionJob {
  const successDays = options.successRetentionDays ?? DEFAULT_SUCCESS_RETENTION_DAYS;
  const failedDays = options.failedRetentionDays ?? DEFAULT_FAILED_RETENTION_DAYS;
  const messageDays = options.messageRetentionDays ?? DEFAULT_MESSAGE_RETENTION_DAYS;
  const chatDays = options.chatRetentionDays ?? DEFAULT_CHAT_RETENTION_DAYS;
  const ahead = options.partitionsAhead ?? DEFAULT_PARTITIONS_AHEAD;
  if (![successDays, failedDays, messageDays, chatDays].every((days) => days > 0) || !(ahead >= 0)) {
    throw new RangeError('Retention must be a positive number of days.');
  }
  return async () => {
    const run = await runAsLeader(db, 'retention', async (conn) => {
      const now = options.clock.now().getTime();
      const cutoffs = { successBefore: new Date(now - successDays * DAY_MS), failedBefore: new Date(now - failedDays * DAY_MS) };
      const createdPartitions = await createDeliveryPartitionsAhead(conn, new Date(now), ahead);
      const dropped = await dropExpiredDeliveryPartitions(conn, cutoffs);
      const deleted = await deleteExpiredRows(conn, cutoffs);
      const messages = await deleteExpiredMessages(conn, new Date(now - messageDays * DAY_MS));
      // A group creation's Idempotency-Key lives as long as a message's does.
      await conn.deleteFrom('group_creations').where('created_at', '<', new Date(now - messageDays * DAY_MS)).execute();
      const chats = await deleteExpiredChats(conn, new Date(now - chatDays * DAY_MS));
      return {
        deliveries: { success: dropped.success + deleted.success, failed: dropped.failed + deleted.failed },
        messages,
        chats,
        createdPartitions,
        droppedPartitions: dropped.dropped,
      };
    });
    return run.led ? run.result : null;
  };
}
