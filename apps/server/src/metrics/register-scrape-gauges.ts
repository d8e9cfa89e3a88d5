/*
 * Gauges read at scrape time from Postgres, the job queues (BullMQ or in-process) and the pg pool. Each source is read at most once per
 * `cacheMs` (default 5 s) however often Prometheus (or several of them) scrapes, and each read has a
 * deadline: a slow database or Redis makes the gauge stale (its last value stays), never the scrape hang.
 * A source that fails shows `whatisup_scrape_source_up{source} 0`. A queue that cannot count its jobs (no
 * `jobCounts`) has no `whatisup_queue_jobs` series rather than a made-up zero.
 */
import { INSTANCE_STATUSES, type Clock, type UnitOfWork } from '@whatisup/core';
import type { MetricsRegistry } from '@whatisup/http-fastify';
import type { PoolStats } from '@whatisup/persistence-kysely';
import type { BackendJobQueue } from '../embedded/create-queue-backend.js';

export interface ScrapeGaugeSources {
  readonly uow: UnitOfWork;
  readonly clock: Clock;
  /** The queues of this role by name (`webhook-deliveries`, `message-outbox`); those without `jobCounts` are skipped. */
  readonly queues: Readonly<Record<string, Pick<BackendJobQueue, 'jobCounts'>>>;
  readonly poolStats: () => PoolStats;
  /** Count the message outbox too (roles that hold messages). */
  readonly messages: boolean;
  readonly cacheMs?: number;
  readonly deadlineMs?: number;
  /** Told when a source cannot be read (log it; the scrape still answers). */
  readonly onError?: (source: string, error: unknown) => void;
}

/** Runs `read` at most once per `cacheMs`, sharing the answer (and a read in flight) between scrapes. */
function cached<T>(cacheMs: number, deadlineMs: number, read: () => Promise<T>): () => Promise<T> {
  let last: { at: number; value: Promise<T> } | null = null;
  return () => {
    const now = Date.now();
    if (last !== null && now - last.at < cacheMs) return last.value;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('metrics source timed out')), deadlineMs);
    });
    const value = Promise.race([read(), deadline]).finally(() => clearTimeout(timer));
    value.catch(() => undefined);
    last = { at: now, value };
    return value;
  };
}

export function registerScrapeGauges(registry: MetricsRegistry, sources: ScrapeGaugeSources): void {
  const cacheMs = sources.cacheMs ?? 5_000;
  const deadlineMs = sources.deadlineMs ?? 2_000;
  // Gauges are collected concurrently: this one waits for every source itself (cached, so no extra reads)
  // rather than showing what the others set during the previous scrape.
  const probes: Array<readonly [string, () => Promise<unknown>]> = [];
  const up = registry.gauge(
    'whatisup_scrape_source_up',
    'Whether the last read of a metrics source succeeded (1) or failed (0).',
    ['source'],
    async () => void (await Promise.all(probes.map(([source, read]) => guarded(source, read)))),
  );
  const guarded = async <T>(source: string, read: () => Promise<T>): Promise<T | null> => {
    try {
      const value = await read();
      up.set({ source }, 1);
      return value;
    } catch (error) {
      sources.onError?.(source, error);
      up.set({ source }, 0);
      return null;
    }
  };

  const backlog = cached(cacheMs, deadlineMs, () => sources.uow.repos.webhookDeliveries.backlog(sources.clock.now()));
  probes.push(['webhook_deliveries', backlog]);
  registry.gauge('whatisup_webhook_deliveries_waiting', 'Deliveries pending or retrying, due or not.', [], async (gauge) => {
    const value = await guarded('webhook_deliveries', backlog);
    if (value !== null) gauge.set({}, value.waiting);
  });
  registry.gauge('whatisup_webhook_deliveries_due', 'Deliveries due now and not yet delivered.', [], async (gauge) => {
    const value = await guarded('webhook_deliveries', backlog);
    if (value !== null) gauge.set({}, value.due);
  });
  registry.gauge(
    'whatisup_webhook_oldest_due_delivery_age_seconds',
    'How long the most overdue delivery has been due (0 when none is due).',
    [],
    async (gauge) => {
      const value = await guarded('webhook_deliveries', backlog);
      if (value === null) return;
      const age = value.oldestDueAt === null ? 0 : (sources.clock.now().getTime() - value.oldestDueAt.getTime()) / 1000;
      gauge.set({}, Math.max(0, age));
    },
  );

  const instances = cached(cacheMs, deadlineMs, () => sources.uow.repos.instances.countByStatus());
  probes.push(['instances', instances]);
  registry.gauge('whatisup_sessions', 'Instances (WhatsApp sessions) of every customer by status.', ['status'], async (gauge) => {
    const value = await guarded('instances', instances);
    if (value === null) return;
    for (const status of INSTANCE_STATUSES) gauge.set({ status }, value[status] ?? 0);
  });

  if (sources.messages) {
    const queued = cached(cacheMs, deadlineMs, () => sources.uow.repos.messages.queuedBacklog());
    probes.push(['messages', queued]);
    registry.gauge('whatisup_messages_queued', 'Outbound messages accepted and not yet sent or failed.', [], async (gauge) => {
      const value = await guarded('messages', queued);
      if (value !== null) gauge.set({}, value.queued);
    });
    registry.gauge('whatisup_oldest_queued_message_age_seconds', 'Age of the oldest queued outbound message (0 when none).', [], async (gauge) => {
      const value = await guarded('messages', queued);
      if (value === null) return;
      const age = value.oldestCreatedAt === null ? 0 : (sources.clock.now().getTime() - value.oldestCreatedAt.getTime()) / 1000;
      gauge.set({}, Math.max(0, age));
    });
  }

  const counts = Object.entries(sources.queues).flatMap(([name, queue]) => {
    const jobCounts = queue.jobCounts?.bind(queue);
    return jobCounts === undefined ? [] : [{ name, read: cached(cacheMs, deadlineMs, jobCounts) }];
  });
  for (const { name, read } of counts) probes.push([`queue_${name.replace(/-/g, '_')}`, read]);
  registry.gauge('whatisup_queue_jobs', 'Jobs per queue and state (waiting, delayed, active), in BullMQ or the in-process queue.', ['queue', 'state'], async (gauge) => {
    await Promise.all(
      counts.map(async ({ name, read }) => {
        const value = await guarded(`queue_${name.replace(/-/g, '_')}`, read);
        if (value === null) return;
        for (const state of ['waiting', 'delayed', 'active'] as const) gauge.set({ queue: name, state }, value[state]);
      }),
    );
  });

  registry.gauge('whatisup_db_pool_connections', 'Postgres pool connections: in use (lent out) and idle.', ['state'], (gauge) => {
    const stats = sources.poolStats();
    gauge.set({ state: 'in_use' }, stats.total - stats.idle);
    gauge.set({ state: 'idle' }, stats.idle);
  });
  registry.gauge('whatisup_db_pool_waiting', 'Queries waiting for a Postgres pool connection.', [], (gauge) => {
    gauge.set({}, sources.poolStats().waiting);
  });
}
