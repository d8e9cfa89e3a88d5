/*
 * The in-memory adapters keep every table in a Map inside one state object. Stored records are never
 * mutated in place (every write replaces the record), so a snapshot is a shallow copy of each Map and a
 * rollback puts the copies back. A new table is one more Map: snapshot and restore cover every Map in
 * the object without change.
 */
import type { ApiKey, StoredApiKey, Customer } from '../tenancy/index.js';
import { toPage, type AuditEvent, type Page, type PageRequest } from '../shared/index.js';
import type { Instance } from '../instances/index.js';

export interface InMemoryState {
  readonly customers: Map<string, Customer>;
  readonly apiKeys: Map<string, StoredApiKey>;
  readonly instances: Map<string, Instance>;
  readonly audit: Map<string, AuditEvent>;
  readonly [table: string]: Map<string, unknown>;
}

export function createInMemoryState(): InMemoryState {
  return {
    customers: new Map(),
    apiKeys: new Map(),
    instances: new Map(),
    audit: new Map(),
    webhookEndpoints: new Map(),
    webhookDeliveries: new Map(),
    webhookDeliveryAttempts: new Map(),
    messages: new Map(),
    messageStatusHistory: new Map(),
    contactLids: new Map(),
    sessionLeases: new Map(),
    instanceSettings: new Map(),
    groupCreations: new Map(),
    chats: new Map(),
  };
}

export type InMemorySnapshot = ReadonlyMap<string, Map<string, unknown>>;

export function snapshotState(state: InMemoryState): InMemorySnapshot {
  return new Map(Object.entries(state).map(([table, rows]) => [table, new Map(rows)]));
}

export function restoreState(state: InMemoryState, snapshot: InMemorySnapshot): void {
  for (const [table, rows] of Object.entries(state)) {
    rows.clear();
    for (const [id, row] of snapshot.get(table) ?? []) rows.set(id, row);
  }
}

/** Newest first (ids are time-ordered), strictly after `cursor`, at most `limit`, with the next cursor. */
export function pageOf<T extends { id: string }>(rows: Iterable<T>, page: PageRequest): Page<T> {
  const cursor = page.cursor ?? null;
  const sorted = [...rows]
    .filter((row) => cursor === null || row.id < cursor)
    .sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  return toPage(sorted.slice(0, page.limit + 1), page.limit);
}

/** The public record of a stored key (the hash stays inside the repository). */
export function withoutHash({ secretHash: _hash, ...key }: StoredApiKey): ApiKey {
  return key;
}
