-- The key that created a key (NULL for keys the operator created). A key never outlives the key that made
-- it: the child's expiry is at most the parent's, and revoking a key revokes its descendants in the same
-- transaction. Keys created before this migration have no recorded parent.
ALTER TABLE api_keys ADD COLUMN parent_key_id text REFERENCES api_keys (id) ON DELETE SET NULL;
CREATE INDEX api_keys_parent ON api_keys (parent_key_id) WHERE parent_key_id IS NOT NULL;
