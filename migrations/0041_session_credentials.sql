-- WhatsApp credentials every node can read: one row per instance and entry (`creds` for the account,
-- `<type>/<id>` for each signal key), the value sealed with SECRETS_KEY (AES-256-GCM, the key's id beside
-- it, as for webhook secrets). Written by the node that holds the instance's session lease.

CREATE TABLE session_credentials (
  instance_id  text NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
  name         text NOT NULL,
  key_id       text NOT NULL,
  sealed       text NOT NULL,
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (instance_id, name)
);

-- Which instances have an account entry (resume), without scanning every signal key.
CREATE INDEX session_credentials_accounts ON session_credentials (instance_id) WHERE name = 'creds';

GRANT SELECT, INSERT, UPDATE, DELETE ON session_credentials TO whatisup_app;
