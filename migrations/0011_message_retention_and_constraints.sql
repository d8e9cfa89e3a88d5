-- Messages: invariants the code kept become constraints, inline media is not kept after the send, and
-- finished messages can be expired (MESSAGE_RETENTION_DAYS) through an index.

-- A claim is a pair: a token without an expiry (or the reverse) cannot be released or taken over.
-- Existing lone halves belonged to dead claims and are cleared.
UPDATE messages SET claimed_until = NULL, claim_token = NULL
WHERE (claim_token IS NULL) <> (claimed_until IS NULL);
ALTER TABLE messages
  ADD CONSTRAINT messages_claim_pair CHECK ((claim_token IS NULL) = (claimed_until IS NULL)),
  -- Receipts find a message by its WhatsApp id: a sent message without one could never advance.
  ADD CONSTRAINT messages_sent_has_whatsapp_id
    CHECK (status NOT IN ('sent', 'delivered', 'read') OR whatsapp_id IS NOT NULL),
  ADD CONSTRAINT messages_failed_has_error_code CHECK (status <> 'failed' OR error_code IS NOT NULL);

-- WhatsApp ids are unique per instance: a receipt names exactly one message.
CREATE UNIQUE INDEX messages_instance_whatsapp_id ON messages (instance_id, whatsapp_id) WHERE whatsapp_id IS NOT NULL;
DROP INDEX messages_whatsapp_id;

-- The body with an inline `media_base64` replaced by the bytes' sha256 (hex) and size: once a message
-- is sent or has failed, the bytes are never read again, and a base64 blob per message would make
-- the table grow with the media sent rather than with the number of messages. Standard and URL-safe
-- base64, with or without padding and line breaks, as the API accepts.
CREATE FUNCTION message_body_without_inline_media(body jsonb) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  encoded text;
  bytes bytea;
BEGIN
  IF body IS NULL OR jsonb_typeof(body -> 'media_base64') IS DISTINCT FROM 'string' THEN
    RETURN body;
  END IF;
  encoded := translate(regexp_replace(body ->> 'media_base64', '\s+|=+$', '', 'g'), '-_', '+/');
  encoded := encoded || repeat('=', (4 - length(encoded) % 4) % 4);
  BEGIN
    bytes := decode(encoded, 'base64');
  EXCEPTION WHEN invalid_parameter_value THEN
    -- Not decodable (the API validates it before staging, so only a row written around it): dropped all the same.
    RETURN (body - 'media_base64') || jsonb_build_object('media_sha256', NULL, 'media_size', NULL);
  END;
  RETURN (body - 'media_base64')
    || jsonb_build_object('media_sha256', encode(sha256(bytes), 'hex'), 'media_size', length(bytes));
END;
$$;

-- The app role strips the media when it records the send (0003's grants, for the new function).
GRANT EXECUTE ON FUNCTION message_body_without_inline_media(jsonb) TO whatisup_app;

UPDATE messages SET body = message_body_without_inline_media(body)
WHERE status <> 'queued' AND body ? 'media_base64';

-- Retention: finished messages (anything but queued) by the time of their last status change.
CREATE INDEX messages_retention ON messages (updated_at) WHERE status <> 'queued';
