-- The chat list of each instance: how the account files each conversation and when it last saw traffic. Kept
-- from what the session reports (the phone's chat list) and from the messages that pass through; never a
-- message body. Tenant-scoped by customer and instance; a chat goes with its instance, and retention drops
-- chats of deleted instances and chats idle longer than CHAT_RETENTION_DAYS.
CREATE TABLE chats (
  customer_id        text NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  instance_id        text NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
  chat_id            text NOT NULL CHECK (chat_id ~ '^[^@\s]+@(s\.whatsapp\.net|g\.us|lid)$'),
  name               text CHECK (name IS NULL OR length(name) <= 256),
  unread_count       integer NOT NULL DEFAULT 0 CHECK (unread_count >= 0),
  marked_unread      boolean NOT NULL DEFAULT false,
  archived           boolean NOT NULL DEFAULT false,
  pinned             boolean NOT NULL DEFAULT false,
  muted_until        timestamptz,
  ephemeral_seconds  integer NOT NULL DEFAULT 0 CHECK (ephemeral_seconds >= 0),
  last_activity_at   timestamptz NOT NULL,
  created_at         timestamptz NOT NULL,
  updated_at         timestamptz NOT NULL,
  PRIMARY KEY (customer_id, instance_id, chat_id)
);
-- The list order (most recent activity first, then chat id) per instance; also serves the instance's rows.
CREATE INDEX chats_activity ON chats (instance_id, last_activity_at DESC, chat_id);
-- Retention of idle chats.
CREATE INDEX chats_last_activity ON chats (last_activity_at);
GRANT SELECT, INSERT, UPDATE, DELETE ON chats TO whatisup_app;
