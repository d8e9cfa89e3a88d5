-- Every foreign key that a delete follows (ON DELETE CASCADE / SET NULL runs one query per deleted
-- parent row on the referencing column) or that a tenant scan filters on has an index that leads with
-- it. Without one, deleting a customer or an instance scans the whole child table once per row.

-- Deleting a customer deletes its instances (the list index is partial: deleted rows are not in it).
CREATE INDEX instances_customer ON instances (customer_id);
-- Deleting an instance deletes its messages; also the per-instance list.
CREATE INDEX messages_instance_list ON messages (instance_id, id DESC);
CREATE INDEX message_status_history_customer ON message_status_history (customer_id);
CREATE INDEX webhook_endpoints_instance ON webhook_endpoints (instance_id) WHERE instance_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS audit_events_actor_api_key ON audit_events (actor_api_key_id) WHERE actor_api_key_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS audit_events_instance ON audit_events (instance_id) WHERE instance_id IS NOT NULL;
