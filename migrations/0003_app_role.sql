-- The server runs as whatisup_app, a role that owns nothing; migrations run as the schema's owner.
-- Only an owner (or a superuser) can disable a trigger, and only a superuser can set
-- session_replication_role, so a server that cannot change its own tables' rules cannot bypass the
-- append-only audit log either, whatever SQL it is tricked into running.
--
-- Roles are cluster-wide and grants are per database: the role is created only when absent (several
-- databases of one cluster run this file, possibly at once), the grants in every database.
-- A migration user without CREATEROLE needs the role created beforehand (see docs/configuration.md).
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'whatisup_app') THEN
    CREATE ROLE whatisup_app NOLOGIN;
  END IF;
EXCEPTION
  -- Another database's migration created it between the check and the CREATE.
  WHEN duplicate_object OR unique_violation THEN NULL;
END
$$;

GRANT USAGE ON SCHEMA public TO whatisup_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON
  customers, instances, api_keys, messages, message_status_history,
  webhook_endpoints, webhook_deliveries, webhook_delivery_attempts
  TO whatisup_app;
-- The audit log: written and read, never changed.
GRANT SELECT, INSERT ON audit_events TO whatisup_app;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO whatisup_app;

-- Append-only, without trusting pg_trigger_depth(): any trigger runs at depth 2, so the old test let any
-- trigger clear references. A reference may now become NULL only when the row it pointed to is gone,
-- which is exactly the ON DELETE SET NULL of the foreign keys (their action runs after the delete).
CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  fk_columns constant text[] := ARRAY['customer_id', 'actor_api_key_id', 'instance_id'];
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'audit_events is append-only: DELETE is not allowed' USING ERRCODE = 'P0001';
  END IF;
  IF (to_jsonb(NEW) - fk_columns) IS DISTINCT FROM (to_jsonb(OLD) - fk_columns)
     OR (NEW.customer_id IS NOT DISTINCT FROM OLD.customer_id
         AND NEW.actor_api_key_id IS NOT DISTINCT FROM OLD.actor_api_key_id
         AND NEW.instance_id IS NOT DISTINCT FROM OLD.instance_id) THEN
    RAISE EXCEPTION 'audit_events is append-only: UPDATE is not allowed' USING ERRCODE = 'P0001';
  END IF;
  IF (NEW.customer_id IS DISTINCT FROM OLD.customer_id
      AND (NEW.customer_id IS NOT NULL OR EXISTS (SELECT 1 FROM customers WHERE id = OLD.customer_id)))
     OR (NEW.actor_api_key_id IS DISTINCT FROM OLD.actor_api_key_id
      AND (NEW.actor_api_key_id IS NOT NULL OR EXISTS (SELECT 1 FROM api_keys WHERE id = OLD.actor_api_key_id)))
     OR (NEW.instance_id IS DISTINCT FROM OLD.instance_id
      AND (NEW.instance_id IS NOT NULL OR EXISTS (SELECT 1 FROM instances WHERE id = OLD.instance_id))) THEN
    RAISE EXCEPTION 'audit_events is append-only: only clearing the reference to a deleted row is allowed'
      USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END;
$$;
