-- Webhook deliveries and their attempts, partitioned by day so retention drops whole partitions
-- (docs/decisions/0016-partitioned-deliveries.md).
--
-- The partition key is the delivery id itself: ids are `dlv_` + 10 Crockford base32 characters of the
-- creation time in milliseconds + randomness, so in byte order ("C" collation) every id minted on a UTC
-- day lies in ['dlv_' || time(day), 'dlv_' || time(day + 1)). The primary key stays `id`, every lookup by
-- id is pruned to one partition, and attempts (keyed on delivery_id) are partitioned on the same bounds,
-- so a day's attempts drop together with its deliveries. Ids outside every range (made by a skewed clock,
-- or older than the partitions) go to the DEFAULT partition, which retention empties row by row.
--
-- The server runs as whatisup_app (0003), which owns nothing and so can neither create nor drop a
-- partition. Retention does both through the two SECURITY DEFINER functions below, owned by the migration
-- role: the app may make a day's partitions and drop a day that holds nothing retention keeps, and nothing
-- else. Partitions do not inherit their parent's grants (a query through the parent needs none on the
-- partition; retention's row-level deletes name partitions), so every partition gets the parent's grants
-- when it is made.

-- The 10-character time part of an id minted at `at` (the same encoding as core's newId).
CREATE FUNCTION whatisup_id_time(at timestamptz) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
  alphabet constant text := '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  ms bigint := floor(extract(epoch FROM at) * 1000)::bigint;
  out text := '';
BEGIN
  FOR i IN 1..10 LOOP
    out := substr(alphabet, (ms % 32)::int + 1, 1) || out;
    ms := ms / 32;
  END LOOP;
  RETURN out;
END;
$$;

-- Creates the delivery and attempt partitions of one UTC day unless they exist. Returns false, creating
-- nothing, when the day already has rows in the default partition: a new partition may not take rows the
-- default already holds, and those rows are served and expired from the default instead.
CREATE FUNCTION webhook_delivery_partition_create(day date) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  lower_bound constant text := 'dlv_' || whatisup_id_time(day::timestamp AT TIME ZONE 'UTC');
  upper_bound constant text := 'dlv_' || whatisup_id_time((day + 1)::timestamp AT TIME ZONE 'UTC');
  suffix constant text := to_char(day, 'YYYYMMDD');
BEGIN
  IF to_regclass('webhook_deliveries_p' || suffix) IS NOT NULL THEN
    RETURN false;
  END IF;
  IF EXISTS (SELECT 1 FROM webhook_deliveries_default WHERE id >= lower_bound AND id < upper_bound)
     OR EXISTS (SELECT 1 FROM webhook_delivery_attempts_default WHERE delivery_id >= lower_bound AND delivery_id < upper_bound) THEN
    RETURN false;
  END IF;
  EXECUTE format('CREATE TABLE %I PARTITION OF webhook_deliveries FOR VALUES FROM (%L) TO (%L)',
    'webhook_deliveries_p' || suffix, lower_bound, upper_bound);
  -- One delivery per (event, endpoint): a partitioned table cannot hold a unique index without the
  -- partition key, so each partition holds its own. An event's deliveries are all minted at the event's
  -- time (one id clock), hence in one partition.
  EXECUTE format('CREATE UNIQUE INDEX %I ON %I (event_id, endpoint_id)',
    'webhook_deliveries_p' || suffix || '_event_endpoint', 'webhook_deliveries_p' || suffix);
  EXECUTE format('CREATE TABLE %I PARTITION OF webhook_delivery_attempts FOR VALUES FROM (%L) TO (%L)',
    'webhook_delivery_attempts_p' || suffix, lower_bound, upper_bound);
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I, %I TO whatisup_app',
    'webhook_deliveries_p' || suffix, 'webhook_delivery_attempts_p' || suffix);
  RETURN true;
END;
$$;

-- Drops the delivery and attempt partitions of one UTC day when they hold no active delivery, no success
-- updated at or after success_before and no failure updated at or after failed_before. Returns whether it
-- dropped them (false, too, when the day has no partition). Both parents are locked first, so the check
-- and the drop see the same rows; the caller's lock_timeout bounds the wait for that lock.
CREATE FUNCTION webhook_delivery_partition_drop(day date, success_before timestamptz, failed_before timestamptz)
RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  deliveries constant text := 'webhook_deliveries_p' || to_char(day, 'YYYYMMDD');
  attempts constant text := 'webhook_delivery_attempts_p' || to_char(day, 'YYYYMMDD');
  kept boolean;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_inherits WHERE inhparent = 'webhook_deliveries'::regclass
                 AND inhrelid = to_regclass(deliveries)) THEN
    RETURN false;
  END IF;
  LOCK TABLE webhook_deliveries, webhook_delivery_attempts IN ACCESS EXCLUSIVE MODE;
  EXECUTE format('SELECT EXISTS (SELECT 1 FROM %1$I WHERE status IN (''pending'', ''retrying''))
      OR EXISTS (SELECT 1 FROM %1$I WHERE status IN (''success'', ''failed'') AND status = ''success'' AND updated_at >= $1)
      OR EXISTS (SELECT 1 FROM %1$I WHERE status IN (''success'', ''failed'') AND status = ''failed'' AND updated_at >= $2)',
    deliveries) INTO kept USING success_before, failed_before;
  IF kept THEN
    RETURN false;
  END IF;
  -- A referenced partition must be detached before it can be dropped; attempts reference deliveries.
  IF to_regclass(attempts) IS NOT NULL THEN
    EXECUTE format('ALTER TABLE webhook_delivery_attempts DETACH PARTITION %I', attempts);
    EXECUTE format('DROP TABLE %I', attempts);
  END IF;
  EXECUTE format('ALTER TABLE webhook_deliveries DETACH PARTITION %I', deliveries);
  EXECUTE format('DROP TABLE %I', deliveries);
  RETURN true;
END;
$$;

REVOKE EXECUTE ON FUNCTION webhook_delivery_partition_create(date),
  webhook_delivery_partition_drop(date, timestamptz, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION whatisup_id_time(timestamptz), webhook_delivery_partition_create(date),
  webhook_delivery_partition_drop(date, timestamptz, timestamptz) TO whatisup_app;

-- Free the names the new tables and their indexes take.
ALTER TABLE webhook_delivery_attempts RENAME TO webhook_delivery_attempts_old;
ALTER TABLE webhook_deliveries RENAME TO webhook_deliveries_old;
ALTER TABLE webhook_deliveries_old RENAME CONSTRAINT webhook_deliveries_pkey TO webhook_deliveries_old_pkey;
ALTER TABLE webhook_deliveries_old
  RENAME CONSTRAINT webhook_deliveries_event_id_endpoint_id_key TO webhook_deliveries_old_event_endpoint;
ALTER TABLE webhook_delivery_attempts_old
  RENAME CONSTRAINT webhook_delivery_attempts_pkey TO webhook_delivery_attempts_old_pkey;
DROP INDEX webhook_deliveries_customer_list, webhook_deliveries_due, webhook_deliveries_endpoint_status,
  webhook_deliveries_retention, webhook_delivery_attempts_delivery;

CREATE TABLE webhook_deliveries (
  -- "C": byte order is the ids' time order, and the partition bounds compare in it.
  id                    text COLLATE "C" PRIMARY KEY,
  customer_id           text NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  endpoint_id           text NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
  instance_id           text REFERENCES instances (id) ON DELETE SET NULL,
  event                 text NOT NULL,
  event_id              text NOT NULL,
  -- The exact bytes that are signed and sent (text, not jsonb: jsonb would reorder keys).
  payload               text NOT NULL,
  status                text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'retrying', 'success', 'failed')),
  attempt_count         integer NOT NULL DEFAULT 0,
  next_attempt_at       timestamptz,
  claimed_until         timestamptz,
  claim_token           text,
  last_response_status  integer,
  last_error            text,
  delivered_at          timestamptz,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now(),
  -- The sweeper finds work by next_attempt_at: an active delivery without one would never be sent.
  CONSTRAINT webhook_deliveries_active_is_scheduled
    CHECK (status NOT IN ('pending', 'retrying') OR next_attempt_at IS NOT NULL),
  CONSTRAINT webhook_deliveries_claim_pair CHECK ((claim_token IS NULL) = (claimed_until IS NULL))
) PARTITION BY RANGE (id);
CREATE TABLE webhook_deliveries_default PARTITION OF webhook_deliveries DEFAULT;
CREATE UNIQUE INDEX webhook_deliveries_default_event_endpoint ON webhook_deliveries_default (event_id, endpoint_id);

CREATE TABLE webhook_delivery_attempts (
  id                text NOT NULL,
  delivery_id       text COLLATE "C" NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
  customer_id       text NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  attempt_number    integer NOT NULL,
  started_at        timestamptz NOT NULL,
  duration_ms       integer NOT NULL,
  response_status   integer,
  error             text,
  -- At most the first KiB of the response body.
  response_excerpt  text CHECK (response_excerpt IS NULL OR length(response_excerpt) <= 1024),
  -- Leads with the partition key, as a partitioned table's key must; it is also the listing order.
  PRIMARY KEY (delivery_id, id)
) PARTITION BY RANGE (delivery_id);
CREATE TABLE webhook_delivery_attempts_default PARTITION OF webhook_delivery_attempts DEFAULT;

-- The grants 0003 gave the tables this migration replaces.
GRANT SELECT, INSERT, UPDATE, DELETE ON webhook_deliveries, webhook_deliveries_default,
  webhook_delivery_attempts, webhook_delivery_attempts_default TO whatisup_app;

-- Partitions for the existing rows' days (an id is minted at its row's created_at) over at most the last 60
-- days (older rows stay in the default until retention removes them), and the next 7 days; retention
-- keeps creating them ahead from then on.
SELECT webhook_delivery_partition_create(day::date)
FROM generate_series(
  greatest(
    coalesce((SELECT min(created_at) FROM webhook_deliveries_old), now()),
    now() - interval '60 days'
  ) AT TIME ZONE 'UTC',
  (now() + interval '7 days') AT TIME ZONE 'UTC',
  interval '1 day'
) AS day;

-- Rows that broke an invariant the old schema did not state are repaired rather than refused: a lone
-- claim half is cleared (the claim was dead), an active delivery without a schedule becomes due now.
INSERT INTO webhook_deliveries (id, customer_id, endpoint_id, instance_id, event, event_id, payload, status,
  attempt_count, next_attempt_at, claimed_until, claim_token, last_response_status, last_error, delivered_at,
  created_at, updated_at)
SELECT id, customer_id, endpoint_id, instance_id, event, event_id, payload, status, attempt_count,
  CASE WHEN status IN ('pending', 'retrying') THEN coalesce(next_attempt_at, now()) ELSE next_attempt_at END,
  CASE WHEN claim_token IS NULL THEN NULL ELSE claimed_until END,
  CASE WHEN claimed_until IS NULL THEN NULL ELSE claim_token END,
  last_response_status, last_error, delivered_at, created_at, updated_at
FROM webhook_deliveries_old;
INSERT INTO webhook_delivery_attempts (id, delivery_id, customer_id, attempt_number, started_at, duration_ms,
  response_status, error, response_excerpt)
SELECT id, delivery_id, customer_id, attempt_number, started_at, duration_ms, response_status, error, response_excerpt
FROM webhook_delivery_attempts_old;
DROP TABLE webhook_delivery_attempts_old;
DROP TABLE webhook_deliveries_old;

-- Built after the copy (faster than maintaining them row by row); each partition gets its own.
CREATE INDEX webhook_deliveries_customer_list ON webhook_deliveries (customer_id, id DESC);
-- (next_attempt_at, id): the sweeper's order, so its keyset walk needs no sort.
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at, id) WHERE status IN ('pending', 'retrying');
CREATE INDEX webhook_deliveries_endpoint_status ON webhook_deliveries (endpoint_id, status, created_at);
CREATE INDEX webhook_deliveries_retention ON webhook_deliveries (status, updated_at) WHERE status IN ('success', 'failed');
-- Filtering a list by instance, and ON DELETE SET NULL when an instance row goes.
CREATE INDEX webhook_deliveries_instance ON webhook_deliveries (instance_id, id DESC) WHERE instance_id IS NOT NULL;
-- ON DELETE CASCADE from customers.
CREATE INDEX webhook_delivery_attempts_customer ON webhook_delivery_attempts (customer_id);

ANALYZE webhook_deliveries;
ANALYZE webhook_delivery_attempts;
