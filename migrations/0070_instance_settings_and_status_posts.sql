-- Calls, instance settings and status posts.

-- How each instance's running session behaves (reject calls, stay online, send read receipts). One row per
-- instance once a setting was changed; no row means every default. The session reads it when the events it
-- governs happen, so a change on any node takes effect without a reload.
CREATE TABLE instance_settings (
  instance_id         text PRIMARY KEY REFERENCES instances (id) ON DELETE CASCADE,
  customer_id         text NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  reject_calls        boolean NOT NULL DEFAULT false,
  call_reply_text     text CHECK (call_reply_text IS NULL OR char_length(call_reply_text) BETWEEN 1 AND 4096),
  always_online       boolean NOT NULL DEFAULT false,
  send_read_receipts  boolean NOT NULL DEFAULT false,
  updated_at          timestamptz NOT NULL
);
CREATE INDEX instance_settings_customer ON instance_settings (customer_id);
GRANT SELECT, INSERT, UPDATE, DELETE ON instance_settings TO whatisup_app;

-- A status post is a message to `status@broadcast`; this says who may see it and how a text post looks
-- (`{"audience": [...], "backgroundColor": "#RRGGBB", "font": 0-9}`), null for every other message.
ALTER TABLE messages ADD COLUMN status_post jsonb CHECK (status_post IS NULL OR jsonb_typeof(status_post -> 'audience') = 'array');
