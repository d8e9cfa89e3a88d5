-- WhatIsUp initial schema (DESIGN section 3).
-- Ids are prefixed, time-ordered text (cust_, key_, inst_, msg_, wh_, evt_, dlv_, att_, aud_), so
-- "ORDER BY id DESC" is newest first and doubles as the pagination cursor.
-- Every tenant-owned table carries customer_id; lists are indexed on (customer_id, id DESC).

CREATE TABLE customers (
  id          text PRIMARY KEY,
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE instances (
  id             text PRIMARY KEY,
  customer_id    text NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  name           text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  kind           text NOT NULL DEFAULT 'whatsapp' CHECK (kind IN ('whatsapp', 'sandbox')),
  status         text NOT NULL DEFAULT 'pending'
                 CHECK (status IN ('pending', 'qr_required', 'connecting', 'connected', 'reconnecting', 'disconnected')),
  status_reason  text,
  phone_number   text,
  last_seen_at   timestamptz,
  metadata       jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  deleted_at     timestamptz
);
-- A name is unique among a customer's live instances; deleting one frees its name.
CREATE UNIQUE INDEX instances_customer_name_live ON instances (customer_id, name) WHERE deleted_at IS NULL;
CREATE INDEX instances_customer_list ON instances (customer_id, id DESC) WHERE deleted_at IS NULL;

CREATE TABLE api_keys (
  id            text PRIMARY KEY,
  customer_id   text NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  instance_id   text REFERENCES instances (id) ON DELETE CASCADE,
  name          text CHECK (name IS NULL OR length(name) BETWEEN 1 AND 100),
  -- The public part of the key (wiu_<lookup>); the secret itself is never stored.
  prefix        text NOT NULL UNIQUE,
  -- HMAC-SHA256(API_KEY_PEPPER, prefix || '|' || secret)
  secret_hash   bytea NOT NULL CHECK (length(secret_hash) = 32),
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_used_at  timestamptz,
  expires_at    timestamptz,
  revoked_at    timestamptz
);
CREATE INDEX api_keys_customer_list ON api_keys (customer_id, id DESC);
CREATE INDEX api_keys_instance ON api_keys (instance_id) WHERE instance_id IS NOT NULL;

CREATE TABLE messages (
  id               text PRIMARY KEY,
  customer_id      text NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  instance_id      text NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
  -- Acceptance order within an instance (a sequence, not the clock).
  seq              bigint GENERATED ALWAYS AS IDENTITY,
  recipient        text NOT NULL,
  body             jsonb NOT NULL,
  reply_to         text,
  client_ref       text CHECK (client_ref IS NULL OR length(client_ref) BETWEEN 1 AND 200),
  idempotency_key  text CHECK (idempotency_key IS NULL OR length(idempotency_key) BETWEEN 1 AND 255),
  request_hash     text NOT NULL,
  status           text NOT NULL DEFAULT 'queued'
                   CHECK (status IN ('queued', 'sent', 'delivered', 'read', 'failed')),
  whatsapp_id      text,
  error_code       text,
  error_message    text,
  attempt_count    integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  claimed_until    timestamptz,
  claim_token      text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
-- Idempotency holds under concurrent duplicates because these are unique constraints, not lookups.
CREATE UNIQUE INDEX messages_instance_client_ref ON messages (instance_id, client_ref) WHERE client_ref IS NOT NULL;
CREATE UNIQUE INDEX messages_customer_idempotency_key ON messages (customer_id, idempotency_key)
  WHERE idempotency_key IS NOT NULL;
CREATE INDEX messages_customer_list ON messages (customer_id, id DESC);
CREATE INDEX messages_outbox ON messages (instance_id, seq) WHERE status = 'queued';
CREATE INDEX messages_whatsapp_id ON messages (instance_id, whatsapp_id) WHERE whatsapp_id IS NOT NULL;

CREATE TABLE webhook_endpoints (
  id                          text PRIMARY KEY,
  customer_id                 text NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  -- NULL: every instance of the customer.
  instance_id                 text REFERENCES instances (id) ON DELETE CASCADE,
  url                         text NOT NULL CHECK (length(url) <= 2048),
  description                 text,
  events                      text[] NOT NULL CHECK (cardinality(events) > 0),
  enabled                     boolean NOT NULL DEFAULT true,
  disabled_reason             text,
  -- AES-256-GCM envelope of the signing secret; the key id names which SECRETS_KEY sealed it.
  secret_ciphertext           text NOT NULL,
  secret_key_id               text NOT NULL,
  previous_secret_ciphertext  text,
  previous_secret_key_id      text,
  previous_secret_expires_at  timestamptz,
  created_at                  timestamptz NOT NULL DEFAULT now(),
  updated_at                  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_endpoints_customer_list ON webhook_endpoints (customer_id, id DESC);
CREATE INDEX webhook_endpoints_matching ON webhook_endpoints (customer_id, instance_id) WHERE enabled;

CREATE TABLE webhook_deliveries (
  id                    text PRIMARY KEY,
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
  UNIQUE (event_id, endpoint_id)
);
CREATE INDEX webhook_deliveries_customer_list ON webhook_deliveries (customer_id, id DESC);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status IN ('pending', 'retrying');
CREATE INDEX webhook_deliveries_endpoint_status ON webhook_deliveries (endpoint_id, status, created_at);
CREATE INDEX webhook_deliveries_retention ON webhook_deliveries (status, updated_at) WHERE status IN ('success', 'failed');

CREATE TABLE webhook_delivery_attempts (
  id                text PRIMARY KEY,
  delivery_id       text NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
  customer_id       text NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  attempt_number    integer NOT NULL,
  started_at        timestamptz NOT NULL,
  duration_ms       integer NOT NULL,
  response_status   integer,
  error             text,
  -- At most the first KiB of the response body.
  response_excerpt  text CHECK (response_excerpt IS NULL OR length(response_excerpt) <= 1024)
);
CREATE INDEX webhook_delivery_attempts_delivery ON webhook_delivery_attempts (delivery_id, id);

CREATE TABLE audit_events (
  id                text PRIMARY KEY,
  customer_id       text REFERENCES customers (id) ON DELETE SET NULL,
  actor_type        text NOT NULL CHECK (actor_type IN ('api_key', 'cli', 'system')),
  -- The acting key while it exists, and its id as text forever.
  actor_api_key_id  text REFERENCES api_keys (id) ON DELETE SET NULL,
  actor_id          text,
  action            text NOT NULL,
  target_type       text NOT NULL,
  target_id         text,
  instance_id       text REFERENCES instances (id) ON DELETE SET NULL,
  data              jsonb NOT NULL DEFAULT '{}'::jsonb,
  occurred_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_events_customer_list ON audit_events (customer_id, id DESC);

-- Append-only: no DELETE, and no UPDATE except the ON DELETE SET NULL of the foreign keys above.
-- A referential action runs its UPDATE from inside the foreign key's trigger, so it arrives here at
-- pg_trigger_depth() 2; a statement issued directly (depth 1) may not even clear a reference.
CREATE FUNCTION audit_events_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  fk_columns constant text[] := ARRAY['customer_id', 'actor_api_key_id', 'instance_id'];
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'audit_events is append-only: DELETE is not allowed' USING ERRCODE = 'P0001';
  END IF;
  IF pg_trigger_depth() < 2 THEN
    RAISE EXCEPTION 'audit_events is append-only: UPDATE is not allowed' USING ERRCODE = 'P0001';
  END IF;
  IF (to_jsonb(NEW) - fk_columns) IS DISTINCT FROM (to_jsonb(OLD) - fk_columns)
     OR (NEW.customer_id IS DISTINCT FROM OLD.customer_id AND NEW.customer_id IS NOT NULL)
     OR (NEW.actor_api_key_id IS DISTINCT FROM OLD.actor_api_key_id AND NEW.actor_api_key_id IS NOT NULL)
     OR (NEW.instance_id IS DISTINCT FROM OLD.instance_id AND NEW.instance_id IS NOT NULL) THEN
    RAISE EXCEPTION 'audit_events is append-only: only clearing a deleted reference is allowed'
      USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER audit_events_append_only
  BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();

CREATE FUNCTION audit_events_no_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only: TRUNCATE is not allowed' USING ERRCODE = 'P0001';
END;
$$;

CREATE TRIGGER audit_events_no_truncate
  BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_no_truncate();
