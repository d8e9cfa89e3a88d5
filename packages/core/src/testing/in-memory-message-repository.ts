/*
 * Messages in memory, with the Postgres adapter's semantics: the two idempotency uniques are checked and
 * the row inserted with no await in between (so concurrent duplicates cannot both stage), the head-only
 * claim is one synchronous compare-and-set, and every status change appends its history entry. A fenced
 * write reads the lease table of the same state; transactions run one at a time, so no lock is needed to
 * keep a takeover out until commit.
 */
import { advancesStatus, fillPayload, type Message, type MessageStatusEntry, type MessageRepository } from '../messages/index.js';
import { DomainError } from '../shared/index.js';
import { pageOf, type InMemoryState } from './in-memory-state.js';
import { fenceAllows } from './in-memory-session-lease-repository.js';
import { fanOut } from './in-memory-webhook-delivery-repository.js';

/** A message row with the claim columns, which never leave the repository. */
interface StoredMessageRow extends Message {
  readonly claimedUntil: Date | null;
  readonly claimToken: string | null;
}

interface HistoryRow extends MessageStatusEntry {
  readonly messageId: string;
  readonly customerId: string;
}

const publicOf = ({ claimedUntil: _until, claimToken: _token, ...message }: StoredMessageRow): Message => message;

const isLiveClaim = (row: StoredMessageRow, now: Date): boolean =>
  row.claimedUntil !== null && row.claimedUntil.getTime() > now.getTime();

function table<T>(state: InMemoryState, name: string): Map<string, T> {
  const rows = state[name];
  if (rows === undefined) throw new Error(`The in-memory state has no ${name} table.`);
  return rows as Map<string, T>;
}

export function createInMemoryMessageRepository(state: InMemoryState): MessageRepository {
  const rows = table<StoredMessageRow>(state, 'messages');
  const trail = table<HistoryRow>(state, 'messageStatusHistory');
  const all = (): StoredMessageRow[] => [...rows.values()];

  const appendHistory = (row: Message, entry: MessageStatusEntry): void => {
    const key = `${String(trail.size).padStart(12, '0')}`;
    trail.set(key, { ...entry, messageId: row.id, customerId: row.customerId });
  };
  const put = (row: StoredMessageRow): Message => {
    rows.set(row.id, row);
    return publicOf(row);
  };
  const holding = (id: string, token: string): StoredMessageRow | null => {
    const row = rows.get(id);
    return row !== undefined && row.claimToken === token && row.status === 'queued' ? row : null;
  };
  const head = (instanceId: string): StoredMessageRow | undefined =>
    all()
      .filter((row) => row.instanceId === instanceId && row.status === 'queued')
      .sort((a, b) => a.seq - b.seq)[0];

  return {
    async stageIfInstance(message, condition) {
      const instance = state.instances.get(message.instanceId);
      const status = instance !== undefined && instance.customerId === message.customerId ? instance.status : null;
      if (status === null || !condition.instanceStatusIn.includes(status)) return { outcome: 'instance_unavailable', status };
      return this.stage(message);
    },
    async stage(message) {
      if (rows.has(message.id)) throw new DomainError('conflict', 'This message exists already.');
      const byKey = all().find(
        (row) => message.idempotencyKey !== null && row.customerId === message.customerId && row.idempotencyKey === message.idempotencyKey,
      );
      const byRef = all().find(
        (row) => message.clientRef !== null && row.instanceId === message.instanceId && row.clientRef === message.clientRef,
      );
      const existing = byKey ?? byRef;
      if (existing !== undefined) return { outcome: 'duplicate', existing: publicOf(existing) };
      const seq = all().reduce((max, row) => Math.max(max, row.seq), 0) + 1;
      const staged = put({ ...message, seq, claimedUntil: null, claimToken: null });
      appendHistory(staged, { status: 'queued', at: message.createdAt, participant: null, error: null });
      return { outcome: 'staged', message: staged };
    },
    async findById(customerId, id) {
      const row = rows.get(id);
      return row !== undefined && row.customerId === customerId ? publicOf(row) : null;
    },
    async findByIdempotencyKey(customerId, key) {
      const row = all().find((r) => r.customerId === customerId && r.idempotencyKey === key);
      return row === undefined ? null : publicOf(row);
    },
    async findByClientRef(customerId, instanceId, clientRef) {
      const row = all().find((r) => r.customerId === customerId && r.instanceId === instanceId && r.clientRef === clientRef);
      return row === undefined ? null : publicOf(row);
    },
    async findByWhatsappId(instanceId, whatsappId) {
      const row = all().find((r) => r.instanceId === instanceId && r.whatsappId === whatsappId);
      return row === undefined ? null : publicOf(row);
    },
    async list(customerId, page, filter = {}) {
      const mine = all().filter(
        (row) =>
          row.customerId === customerId &&
          row.body.type !== 'action' &&
          (filter.instanceId === undefined || row.instanceId === filter.instanceId) &&
          (filter.status === undefined || row.status === filter.status),
      );
      const result = pageOf(mine, page);
      return { data: result.data.map(publicOf), nextCursor: result.nextCursor };
    },
    async history(customerId, id) {
      return [...trail.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .filter(([, row]) => row.messageId === id && row.customerId === customerId)
        .map(([, { status, at, participant, error }]) => ({ status, at, participant, error }));
    },
    async claimNext(instanceId, { now, until, token }) {
      const row = head(instanceId);
      if (row === undefined) return { claimed: false, retryAt: null };
      if (isLiveClaim(row, now)) return { claimed: false, retryAt: row.claimedUntil };
      if (row.nextAttemptAt.getTime() > now.getTime()) return { claimed: false, retryAt: row.nextAttemptAt };
      return { claimed: true, message: put({ ...row, claimedUntil: until, claimToken: token }) };
    },
    async release(id, token, { nextAttemptAt, attemptCount, at }) {
      const row = holding(id, token);
      if (row !== null) put({ ...row, claimedUntil: null, claimToken: null, nextAttemptAt, attemptCount, updatedAt: at });
    },
    async markSent(id, token, { whatsappId, at }, fence) {
      if (!fenceAllows(state, fence)) return 'stale_fence';
      const row = holding(id, token);
      if (row === null) return null;
      const sent = put({ ...row, status: 'sent', whatsappId, claimedUntil: null, claimToken: null, updatedAt: at });
      appendHistory(sent, { status: 'sent', at, participant: null, error: null });
      return sent;
    },
    async markSentWithEvent(id, token, sent, fence, event) {
      // No await between the write and the fan-out: atomic, as the one statement on Postgres.
      if (!fenceAllows(state, fence)) return 'stale_fence';
      const row = holding(id, token);
      if (row === null) return null;
      const message = put({ ...row, status: 'sent', whatsappId: sent.whatsappId, claimedUntil: null, claimToken: null, updatedAt: sent.at });
      appendHistory(message, { status: 'sent', at: sent.at, participant: null, error: null });
      return { message, deliveries: fanOut(state, event.fanOut) };
    },
    async markFailed(id, token, { error, at }) {
      const row = holding(id, token);
      if (row === null) return null;
      const failed = put({ ...row, status: 'failed', error, claimedUntil: null, claimToken: null, updatedAt: at });
      appendHistory(failed, { status: 'failed', at, participant: null, error });
      return failed;
    },
    async markStatus(instanceId, whatsappId, { status, at, participant }, fence, event) {
      if (!fenceAllows(state, fence)) return 'stale_fence';
      const row = all().find((r) => r.instanceId === instanceId && r.whatsappId === whatsappId);
      if (row === undefined) return null;
      if (!advancesStatus(row.status, status)) return { message: publicOf(row), advanced: false, deliveries: [] };
      const moved = put({ ...row, status, updatedAt: at });
      appendHistory(moved, { status, at, participant, error: null });
      // No await between the write and the fan-out: atomic, as the one statement on Postgres.
      const deliveries = event == null ? [] : fanOut(state, { ...event.prepared.fanOut, customerId: moved.customerId, payload: fillPayload(event, moved) });
      return { message: moved, advanced: true, deliveries };
    },
    async queuedBacklog() {
      const queued = all().filter((row) => row.status === 'queued');
      const oldest = Math.min(...queued.map((row) => row.createdAt.getTime()));
      return { queued: queued.length, oldestCreatedAt: queued.length === 0 ? null : new Date(oldest) };
    },
    async listAwaitingReceipts(instanceId, { afterSeq, limit }) {
      return all()
        .filter((r) => r.instanceId === instanceId && r.body.type !== 'action' && (r.status === 'sent' || r.status === 'delivered') && (afterSeq === null || r.seq > afterSeq))
        .sort((a, b) => a.seq - b.seq)
        .slice(0, limit)
        .map(publicOf);
    },
    async listInstancesWithQueued(now, { afterInstanceId, limit }) {
      const found = new Map<string, string>();
      const claimed = new Set<string>();
      for (const row of all()) {
        if (row.status !== 'queued') continue;
        if (afterInstanceId !== null && row.instanceId <= afterInstanceId) continue;
        if (isLiveClaim(row, now)) claimed.add(row.instanceId);
        found.set(row.instanceId, row.customerId);
      }
      return [...found.entries()]
        .filter(([instanceId]) => !claimed.has(instanceId))
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .slice(0, limit)
        .map(([instanceId, customerId]) => ({ instanceId, customerId }));
    },
  };
}
