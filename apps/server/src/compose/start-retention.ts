/*
 * Retention in the roles that deliver webhooks (the worker role, and `serve` unless --no-worker): expired
 * delivery partitions and rows, expired messages, idle chats and those of deleted instances, partitions
 * created ahead. Every such process schedules it
 * hourly (and at start); the job's advisory lock lets one process at a time run it, the others skip that
 * round. It runs on the app's pool: the partition DDL goes through the migration-owned SECURITY DEFINER
 * functions, so the app role needs no ownership (see docs/decisions/0016-partitioned-deliveries.md).
 */
import { createKyselyRetentionJob } from '@whatisup/persistence-kysely';
import type { Logger } from 'pino';
import type { CommonConfig } from '../config/common-config.js';
import type { Foundation } from './create-foundation.js';
import { every } from './every.js';

const RETENTION_INTERVAL_MS = 60 * 60 * 1000;

/** Starts the schedule; returns the stop function, which waits for a run in progress. */
export function startRetention(
  config: Pick<CommonConfig, 'webhooks' | 'messageRetentionDays' | 'chatRetentionDays'>,
  logger: Logger,
  deps: Pick<Foundation, 'db' | 'clock'>,
): () => Promise<void> {
  const retention = createKyselyRetentionJob(deps.db, {
    clock: deps.clock,
    successRetentionDays: config.webhooks.successRetentionDays,
    failedRetentionDays: config.webhooks.failedRetentionDays,
    messageRetentionDays: config.messageRetentionDays,
    chatRetentionDays: config.chatRetentionDays,
  });
  return every(RETENTION_INTERVAL_MS, async () => {
    const report = await retention();
    if (report !== null) logger.info(report, 'retention ran');
  }, (error) => logger.error({ err: error }, 'retention failed; it runs again next hour'));
}
