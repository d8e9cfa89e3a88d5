-- Groups: nothing about groups themselves is stored (lookups ask WhatsApp, events are the record). Only the
-- Idempotency-Key of a group creation, which is answered synchronously rather than staged in the outbox: the
-- key is claimed (`pending`) before WhatsApp is asked and holds the answer once given (`done`), so a retry
-- returns the first group instead of creating a second. A pending claim past `expires_at` may be taken over.
CREATE TABLE group_creations (
  customer_id      text NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  idempotency_key  text NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 255),
  instance_id      text NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
  request_hash     text NOT NULL,
  status           text NOT NULL CHECK (status IN ('pending', 'done')),
  response         jsonb,
  created_at       timestamptz NOT NULL,
  expires_at       timestamptz NOT NULL,
  PRIMARY KEY (customer_id, idempotency_key),
  CHECK ((status = 'done') = (response IS NOT NULL))
);
CREATE INDEX group_creations_instance ON group_creations (instance_id);
GRANT SELECT, INSERT, UPDATE, DELETE ON group_creations TO whatisup_app;
