-- Several server processes ("nodes") share the WhatsApp sessions. Each node registers in `nodes` and
-- heartbeats; a node is live while its heartbeat is younger than the lease TTL. Each instance whose
-- session runs somewhere has a row in `session_leases`: the node that may run it, until when, and a
-- fencing epoch that grows at every takeover. Writes a session makes check (node, epoch, expiry) in their
-- own transaction, so a node that lost the lease (paused, cut off) cannot change anything any more.
-- A released lease keeps its row (node_id NULL) so the epoch never goes back.

CREATE TABLE nodes (
  id            text PRIMARY KEY,
  address       text,
  max_sessions  integer NOT NULL CHECK (max_sessions > 0),
  started_at    timestamptz NOT NULL,
  heartbeat_at  timestamptz NOT NULL
);

CREATE TABLE session_leases (
  instance_id  text PRIMARY KEY REFERENCES instances (id) ON DELETE CASCADE,
  -- No foreign key to nodes: a dead node's row may be gone while its leases run out.
  node_id      text,
  epoch        bigint NOT NULL CHECK (epoch > 0),
  expires_at   timestamptz NOT NULL
);

-- Renewal and release by node.
CREATE INDEX session_leases_node ON session_leases (node_id) WHERE node_id IS NOT NULL;

GRANT SELECT, INSERT, UPDATE, DELETE ON nodes, session_leases TO whatisup_app;
