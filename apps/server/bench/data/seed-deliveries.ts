/*
 * Seeds the data scenario with generate_series, in the shape retention keeps at steady state: `rows`
 * deliveries of which the last 7 days (and one more hour: the successes retention is about to delete) hold
 * every status, the 23 days before only failures (successes are gone after 7 days), and one day past the
 * 30-day failed retention that the next run drops whole. 80 % belong to the bench customer (4 endpoints,
 * 3 instances), the rest to 9 other customers. Pending deliveries are due a day from now, so the server's
 * worker leaves them alone while the scenario measures. Failed deliveries have one attempt each.
 */
import pg from 'pg';

const DAY_MS = 86_400_000;
/** Share of events that end failed; the rest succeed (a few are still pending). */
const FAILED_SHARE = 0.08;

export interface SeededData {
  readonly customerId: string;
  readonly endpointIds: readonly string[];
  readonly instanceIds: readonly string[];
  readonly rows: number;
  readonly seedMs: number;
}

export async function seedDeliveries(url: string, customerId: string, rows: number): Promise<SeededData> {
  const started = Date.now();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // Events per day E such that 7 days of everything plus 24 days of failures make `rows`.
    const perDay = rows / (7 + 24 * FAILED_SHARE);
    const recent = Math.round(perDay * (7 + 1 / 24));
    const old = rows - recent;
    const endpointIds = [1, 2, 3, 4].map((n) => `wh_bench${n}`);
    const instanceIds = [1, 2, 3].map((n) => `inst_bench${n}`);
    await client.query(
      `SELECT webhook_delivery_partition_create(day::date)
       FROM generate_series((now() - interval '32 days') AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC', interval '1 day') AS day`,
    );
    await client.query("INSERT INTO customers (id, name) SELECT 'cust_other' || n, 'other ' || n FROM generate_series(1, 9) n");
    await client.query("INSERT INTO instances (id, customer_id, name) SELECT 'inst_bench' || n, $1, 'bench ' || n FROM generate_series(1, 3) n", [customerId]);
    await client.query(
      `INSERT INTO webhook_endpoints (id, customer_id, url, events, secret_ciphertext, secret_key_id)
       SELECT 'wh_bench' || n, $1, 'http://127.0.0.1:9/', ARRAY['*'], 'unused', 'unused' FROM generate_series(1, 4) n
       UNION ALL
       SELECT 'wh_other' || n, 'cust_other' || n, 'http://127.0.0.1:9/', ARRAY['*'], 'unused', 'unused' FROM generate_series(1, 9) n`,
      [customerId],
    );
    await insertDeliveries(client, customerId, { count: recent, offsetMs: 0, spanMs: 7 * DAY_MS + 3_600_000, onlyFailed: false, first: 0 });
    await insertDeliveries(client, customerId, { count: old, offsetMs: 7 * DAY_MS + 3_600_000, spanMs: 24 * DAY_MS - 3_600_000, onlyFailed: true, first: recent });
    await client.query(
      `INSERT INTO webhook_delivery_attempts (id, delivery_id, customer_id, attempt_number, started_at, duration_ms, response_status)
       SELECT 'att_' || substr(id, 5), id, customer_id, 1, created_at, 120, 500 FROM webhook_deliveries WHERE status = 'failed'`,
    );
    await client.query('ANALYZE webhook_deliveries');
    await client.query('ANALYZE webhook_delivery_attempts');
    return { customerId, endpointIds, instanceIds, rows, seedMs: Date.now() - started };
  } finally {
    await client.end();
  }
}

async function insertDeliveries(
  client: pg.Client,
  customerId: string,
  part: { count: number; offsetMs: number; spanMs: number; onlyFailed: boolean; first: number },
): Promise<void> {
  // Ids follow core's format: dlv_ + the creation time + 16 characters (hex digits are Crockford digits).
  await client.query(
    `INSERT INTO webhook_deliveries (id, customer_id, endpoint_id, instance_id, event, event_id, payload, status,
       attempt_count, next_attempt_at, last_response_status, last_error, delivered_at, created_at, updated_at)
     SELECT 'dlv_' || whatisup_id_time(t) || upper(lpad(to_hex(n), 16, '0')),
       CASE WHEN n % 5 = 0 THEN 'cust_other' || (n % 9 + 1) ELSE $1 END,
       CASE WHEN n % 5 = 0 THEN 'wh_other' || (n % 9 + 1) ELSE 'wh_bench' || (n % 4 + 1) END,
       CASE WHEN n % 5 = 0 OR n % 4 = 0 THEN NULL ELSE 'inst_bench' || (n % 3 + 1) END,
       ev, 'evt_' || whatisup_id_time(t) || upper(lpad(to_hex(n), 16, '0')),
       '{"event":"' || ev || '","event_id":"evt_' || n || '","data":{"text":"' || repeat('x', 300) || '"}}',
       st,
       CASE st WHEN 'failed' THEN 6 WHEN 'success' THEN 1 ELSE 0 END,
       CASE WHEN st = 'pending' THEN now() + interval '1 day' + (n % 3600) * interval '1 second' END,
       CASE st WHEN 'failed' THEN 500 WHEN 'success' THEN 200 END,
       CASE WHEN st = 'failed' THEN 'HTTP 500' END,
       CASE WHEN st = 'success' THEN t + interval '1 second' END,
       t,
       CASE st WHEN 'failed' THEN least(now(), t + interval '3 hours') WHEN 'success' THEN t + interval '1 second' ELSE t END
     FROM (
       SELECT n,
         now() - ($3::double precision + (n - $5)::double precision / $2 * $4::double precision) * interval '1 millisecond' AS t,
         (ARRAY['message.received', 'message.sent', 'message.delivered', 'message.read', 'instance.connected'])[n % 5 + 1] AS ev,
         CASE WHEN $6 OR n % 100 < ${Math.round(FAILED_SHARE * 100)} THEN 'failed'
              WHEN n % 100 = 99 AND (n - $5)::double precision / $2 * $4::double precision < 86400000 THEN 'pending'
              ELSE 'success' END AS st
       FROM generate_series($5::bigint + 1, $5::bigint + $2) AS n
     ) AS s`,
    [customerId, part.count, part.offsetMs, part.spanMs, part.first, part.onlyFailed],
  );
}
