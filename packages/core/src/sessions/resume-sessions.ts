/*
 * Resume on process start: every instance whose row says it was connecting, connected or
 * reconnecting, and whose session factory still holds its credentials, gets its session started again,
 * without a QR. Starts are staggered (`intervalMs` apart) so a restart with many numbers does not open
 * every socket in the same instant. The pace is of starts, not of finished starts: a start's own work
 * (its lease, its status write, the socket's first steps) overlaps the next ones, up to `concurrency` at a
 * time, so a restart of N instances takes about N × `intervalMs` rather than N times each start's round
 * trips. The cap keeps a restart from taking every pooled database connection at once. A row that claims a connection but whose credentials are gone (a lost
 * DATA_DIR, a wiped sandbox) is set `disconnected` with reason `session_invalidated`: it needs a new
 * pairing and saying so beats showing `connected` forever.
 *
 * Each resumed instance first goes `reconnecting` (reason `process_restart`): until its session reports
 * `connected` again, the row should not claim a live connection.
 *
 * On several nodes the node keeper passes the instances placement gave this node (`instances`) instead of
 * every resumable row; starting or invalidating one then happens under its lease.
 */
import type { Actor, UnitOfWork } from '../shared/index.js';
import type { Instance, InstanceRepositories } from '../instances/index.js';
import type { LeaseFence } from '../cluster/index.js';
import { RESUMABLE_STATUSES } from '../cluster/index.js';
import type { InstanceTransitioner } from './instance-transitioner.js';
import type { SessionFactories } from './live-sessions.js';

export interface ResumeDeps {
  readonly uow: UnitOfWork<InstanceRepositories>;
  readonly factories: SessionFactories;
  /** The rows to resume; default every live row in a resumable status. */
  readonly instances?: readonly Instance[];
  /**
   * False when other nodes run sessions too: a row whose credentials this node cannot see is then skipped
   * rather than invalidated, unless its factory's credentials are shared (every node sees the same). Default true.
   */
  readonly soleNode?: boolean;
  /**
   * Sets a row without credentials `disconnected` (reason `session_invalidated`); false when it could not
   * (another node holds the instance's lease).
   */
  readonly invalidate: (instance: Instance) => Promise<boolean>;
  /** Starts the instance's session, running `before` once its slot is taken; throws worker_at_capacity. */
  readonly start: (instance: Instance, before: (fence: LeaseFence | null) => Promise<unknown>) => Promise<void>;
  readonly transition: InstanceTransitioner;
  /** Whether the instance already has a session here (started by a request meanwhile): left alone. */
  readonly isLive: (instanceId: string) => boolean;
  /** Whether one more session may start; rows with credentials beyond it are skipped. */
  readonly hasCapacity: () => boolean;
  readonly intervalMs: number;
  /** Starts in flight at most at once (default 16). */
  readonly concurrency?: number;
  /** Resolves after `ms`, or early (false) when resuming was cancelled. */
  readonly pause: (ms: number) => Promise<boolean>;
  readonly onError: (error: unknown, context: { instanceId: string; event: 'resume' }) => void;
}

export interface ResumeReport {
  readonly resumed: string[];
  /** Rows that claimed a connection without credentials, now `disconnected`. */
  readonly invalidated: string[];
  /** Left alone: capacity reached, or resuming was cancelled by shutdown. */
  readonly skipped: string[];
}

const SYSTEM: Actor = { type: 'system' };
const DEFAULT_CONCURRENCY = 16;

export async function resumeSessions(deps: ResumeDeps): Promise<ResumeReport> {
  const rows = deps.instances ?? (await deps.uow.repos.instances.listByStatus(RESUMABLE_STATUSES));
  const lists = await Promise.all(Object.values(deps.factories).map((factory) => factory.listInstancesWithCredentials()));
  const withCredentials = new Set(lists.flat());
  const report: ResumeReport = { resumed: [], invalidated: [], skipped: [] };
  const ref = (row: Instance) => ({ customerId: row.customerId, id: row.id });

  const concurrency = Math.max(1, deps.concurrency ?? DEFAULT_CONCURRENCY);
  const inFlight = new Set<Promise<void>>();
  const launch = (row: Instance): void => {
    const starting = deps
      .start(row, (fence) =>
        deps.transition({ instance: ref(row), actor: SYSTEM, to: 'reconnecting', reason: 'process_restart', from: ['connected'], fence }),
      )
      .then(
        () => void report.resumed.push(row.id),
        (error: unknown) => {
          report.skipped.push(row.id);
          deps.onError(error, { instanceId: row.id, event: 'resume' });
        },
      )
      .finally(() => inFlight.delete(starting));
    inFlight.add(starting);
  };

  let started = 0;
  let cancelled = false;
  for (const row of rows) {
    if (deps.isLive(row.id)) continue;
    if (cancelled) {
      report.skipped.push(row.id);
    } else if (!withCredentials.has(row.id)) {
      const nowhere = deps.soleNode !== false || deps.factories[row.kind].sharesCredentials === true;
      if (nowhere && (await deps.invalidate(row))) report.invalidated.push(row.id);
      else report.skipped.push(row.id);
    } else if (!deps.hasCapacity()) {
      report.skipped.push(row.id);
    } else if (started > 0 && !(await deps.pause(deps.intervalMs))) {
      cancelled = true;
      report.skipped.push(row.id);
    } else {
      while (inFlight.size >= concurrency) await Promise.race(inFlight);
      // A start takes its session slot synchronously, so the check above counts the starts in flight;
      // a request may have taken the last slot while this waited for one of them.
      if (!deps.hasCapacity()) {
        report.skipped.push(row.id);
        continue;
      }
      launch(row);
      started += 1;
    }
  }
  await Promise.all(inFlight);
  return report;
}
