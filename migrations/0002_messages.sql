-- The status trail of outbound messages (GET /v1/messages/:id shows it). One row per status change:
-- queued when staged, sent, delivered and read as receipts advance the message (in a group, the
-- participant whose receipt advanced it), failed with the error. Written in the same statement or
-- transaction as the change of messages.status, so the trail and the status never disagree.
CREATE TABLE message_status_history (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  message_id     text NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
  customer_id    text NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  status         text NOT NULL CHECK (status IN ('queued', 'sent', 'delivered', 'read', 'failed')),
  participant    text,
  error_code     text,
  error_message  text,
  at             timestamptz NOT NULL
);
CREATE INDEX message_status_history_message ON message_status_history (message_id, id);

-- The sweeper asks which instances have queued messages nobody holds a claim on.
CREATE INDEX messages_queued_instances ON messages (instance_id, claimed_until) WHERE status = 'queued';
