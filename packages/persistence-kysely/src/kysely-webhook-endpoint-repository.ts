/*
 * Webhook endpoints. The public reads select no secret column at all, so a sealed secret cannot leak
 * through a mapper mistake; only `findStored` and `listAllSecrets` read them. `findMatching` does the
 * subscription test in SQL (`events && ARRAY[name, 'family.*', '*']`), on the partial index of enabled endpoints.
 */
import {
  selectorsFor,
  toPage,
  type EventSelector,
  type StoredWebhookEndpoint,
  type WebhookEndpoint,
  type WebhookEndpointDisabledReason,
  type WebhookEndpointPatch,
  type WebhookEndpointRepository,
} from '@whatisup/core';
import { sql, type Kysely, type Selectable, type Updateable } from 'kysely';
import type { Database, WebhookEndpointsTable } from './database.js';
import { withDatabaseErrors } from './translate-database-error.js';
import { statementTemplate } from './statement-template.js';

const PUBLIC_COLUMNS = [
  'id',
  'customer_id',
  'instance_id',
  'url',
  'description',
  'events',
  'enabled',
  'disabled_reason',
  'previous_secret_expires_at',
  'created_at',
  'updated_at',
] as const;

type PublicRow = Pick<Selectable<WebhookEndpointsTable>, (typeof PUBLIC_COLUMNS)[number]>;

/** A customer's endpoint by id, read by every endpoint route (a test event among them): compiled once (statement-template.ts). */
const findStatement = statementTemplate(
  () => 'endpoint by id',
  (db, v: { readonly customerId: string; readonly id: string }) =>
    db.selectFrom('webhook_endpoints').select(PUBLIC_COLUMNS).where('customer_id', '=', v.customerId).where('id', '=', v.id),
);

export function createKyselyWebhookEndpointRepository(db: Kysely<Database>): WebhookEndpointRepository {
  const owned = (customerId: string) =>
    db.selectFrom('webhook_endpoints').select(PUBLIC_COLUMNS).where('customer_id', '=', customerId);
  const change = (customerId: string, id: string, values: Updateable<WebhookEndpointsTable>) =>
    db
      .updateTable('webhook_endpoints')
      .set(values)
      .where('customer_id', '=', customerId)
      .where('id', '=', id)
      .returning(PUBLIC_COLUMNS);

  return withDatabaseErrors<WebhookEndpointRepository>({
    async create(endpoint) {
      const row = await db
        .insertInto('webhook_endpoints')
        .values({
          id: endpoint.id,
          customer_id: endpoint.customerId,
          instance_id: endpoint.instanceId,
          url: endpoint.url,
          description: endpoint.description,
          events: [...endpoint.events],
          enabled: endpoint.enabled,
          disabled_reason: endpoint.disabledReason,
          secret_ciphertext: endpoint.secret.ciphertext,
          secret_key_id: endpoint.secret.keyId,
          previous_secret_ciphertext: endpoint.previousSecret?.ciphertext ?? null,
          previous_secret_key_id: endpoint.previousSecret?.keyId ?? null,
          previous_secret_expires_at: endpoint.previousSecretExpiresAt,
          created_at: endpoint.createdAt,
          updated_at: endpoint.updatedAt,
        })
        .returning(PUBLIC_COLUMNS)
        .executeTakeFirstOrThrow();
      return toEndpoint(row);
    },
    async countEndpoints(customerId, instanceId) {
      // Held until the transaction ends (a no-op outside one): creations of one customer queue here, so
      // the count they check is the count they commit against. Other customers are not blocked.
      await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`whatisup.webhook_endpoints.${customerId}`}, 0))`.execute(db);
      const { rows } = await sql<{ total: number; wide: number; bound: number; most: number }>`
        SELECT count(*)::int AS total,
               count(*) FILTER (WHERE instance_id IS NULL)::int AS wide,
               count(*) FILTER (WHERE instance_id = ${instanceId})::int AS bound,
               coalesce((SELECT max(n) FROM (SELECT count(*)::int AS n FROM webhook_endpoints
                          WHERE customer_id = ${customerId} AND instance_id IS NOT NULL GROUP BY instance_id) AS per), 0) AS most
        FROM webhook_endpoints WHERE customer_id = ${customerId}
      `.execute(db);
      const row = rows[0];
      return {
        total: row?.total ?? 0,
        customerWide: row?.wide ?? 0,
        boundToInstance: row?.bound ?? 0,
        mostBoundToOneInstance: row?.most ?? 0,
      };
    },
    async findById(customerId, id) {
      const row = (await findStatement.execute(db, { customerId, id }, undefined)).rows[0];
      return row ? toEndpoint(row) : null;
    },
    async findStored(customerId, id) {
      const row = await db
        .selectFrom('webhook_endpoints')
        .selectAll()
        .where('customer_id', '=', customerId)
        .where('id', '=', id)
        .executeTakeFirst();
      return row ? toStoredEndpoint(row) : null;
    },
    async list(customerId, page, filter = {}) {
      let query = owned(customerId);
      if (filter.instanceId !== undefined) query = query.where('instance_id', '=', filter.instanceId);
      if (page.cursor) query = query.where('id', '<', page.cursor);
      const rows = await query.orderBy('id', 'desc').limit(page.limit + 1).execute();
      return toPage(rows.map(toEndpoint), page.limit);
    },
    async findMatching(customerId, event) {
      const instanceId = event.instanceId;
      const rows = await owned(customerId)
        .where('enabled', '=', true)
        .where((eb) =>
          instanceId === null
            ? eb('instance_id', 'is', null)
            : eb.or([eb('instance_id', 'is', null), eb('instance_id', '=', instanceId)]),
        )
        .where(sql<boolean>`events && ${selectorsFor(event.name)}::text[]`)
        .orderBy('id', 'asc')
        .execute();
      return rows.map(toEndpoint);
    },
    async update(customerId, id, patch, at) {
      const row = await change(customerId, id, { ...toPatchColumns(patch), updated_at: at }).executeTakeFirst();
      return row ? toEndpoint(row) : null;
    },
    async disable(customerId, id, reason, at) {
      const row = await change(customerId, id, { enabled: false, disabled_reason: reason, updated_at: at })
        .where('enabled', '=', true)
        .executeTakeFirst();
      return row ? toEndpoint(row) : null;
    },
    async setSecrets(customerId, id, secrets, at) {
      const row = await change(customerId, id, {
        secret_ciphertext: secrets.secret.ciphertext,
        secret_key_id: secrets.secret.keyId,
        previous_secret_ciphertext: secrets.previousSecret?.ciphertext ?? null,
        previous_secret_key_id: secrets.previousSecret?.keyId ?? null,
        previous_secret_expires_at: secrets.previousSecretExpiresAt,
        updated_at: at,
      }).executeTakeFirst();
      return row ? toEndpoint(row) : null;
    },
    async delete(customerId, id) {
      const row = await db
        .deleteFrom('webhook_endpoints')
        .where('customer_id', '=', customerId)
        .where('id', '=', id)
        .returning(PUBLIC_COLUMNS)
        .executeTakeFirst();
      return row ? toEndpoint(row) : null;
    },
    async listAllSecrets(afterId, limit) {
      let query = db.selectFrom('webhook_endpoints').selectAll();
      if (afterId !== null) query = query.where('id', '>', afterId);
      const rows = await query.orderBy('id', 'asc').limit(limit).execute();
      return rows.map(toStoredEndpoint);
    },
  });
}

function toPatchColumns(patch: WebhookEndpointPatch): Updateable<WebhookEndpointsTable> {
  const columns: Updateable<WebhookEndpointsTable> = {};
  if (patch.url !== undefined) columns.url = patch.url;
  if (patch.events !== undefined) columns.events = [...patch.events];
  if (patch.description !== undefined) columns.description = patch.description;
  if (patch.enabled !== undefined) columns.enabled = patch.enabled;
  if (patch.disabledReason !== undefined) columns.disabled_reason = patch.disabledReason;
  return columns;
}

function toEndpoint(row: PublicRow): WebhookEndpoint {
  return {
    id: row.id,
    customerId: row.customer_id,
    instanceId: row.instance_id,
    url: row.url,
    description: row.description,
    events: row.events as EventSelector[],
    enabled: row.enabled,
    disabledReason: row.disabled_reason as WebhookEndpointDisabledReason | null,
    previousSecretExpiresAt: row.previous_secret_expires_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toStoredEndpoint(row: Selectable<WebhookEndpointsTable>): StoredWebhookEndpoint {
  const previous =
    row.previous_secret_ciphertext !== null && row.previous_secret_key_id !== null
      ? { keyId: row.previous_secret_key_id, ciphertext: row.previous_secret_ciphertext }
      : null;
  return {
    ...toEndpoint(row),
    secret: { keyId: row.secret_key_id, ciphertext: row.secret_ciphertext },
    previousSecret: previous,
    previousSecretExpiresAt: row.previous_secret_expires_at,
  };
}
