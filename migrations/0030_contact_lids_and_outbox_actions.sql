-- Conversation operations: what we learnt about WhatsApp's hidden phone numbers, and outbox items that change
-- WhatsApp state without sending a message.

-- The phone number behind a LID, per customer: learnt from WhatsApp (a message that carried both forms, the
-- LID mapping WhatsApp pushes, a lookup) and never forgotten, so an event about a LID-only sender can carry
-- the phone number from then on. Per customer, not per instance: a LID names the same person whichever of
-- the customer's numbers met them; `instance_id` is only which instance learnt it first.
CREATE TABLE contact_lids (
  customer_id   text NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  lid           text NOT NULL CHECK (lid ~ '^[0-9]+@lid$'),
  phone_number  text NOT NULL CHECK (phone_number ~ '^[1-9][0-9]{7,14}$'),
  instance_id   text REFERENCES instances (id) ON DELETE SET NULL,
  learned_at    timestamptz NOT NULL,
  PRIMARY KEY (customer_id, lid)
);
CREATE INDEX contact_lids_phone ON contact_lids (customer_id, phone_number);
CREATE INDEX contact_lids_instance ON contact_lids (instance_id) WHERE instance_id IS NOT NULL;
GRANT SELECT, INSERT, UPDATE, DELETE ON contact_lids TO whatisup_app;

-- Outbox actions (block, unblock, ...) are rows of `messages` with a body of type `action`, so they share the
-- instance's acceptance order, claims, idempotency keys and retries with the sends. An action has no WhatsApp
-- message id, so "sent" (performed) no longer implies one for them.
ALTER TABLE messages DROP CONSTRAINT messages_sent_has_whatsapp_id;
ALTER TABLE messages ADD CONSTRAINT messages_sent_has_whatsapp_id
  CHECK (status NOT IN ('sent', 'delivered', 'read') OR whatsapp_id IS NOT NULL OR body ->> 'type' = 'action');

-- `typing_ms` of a send: how long "typing…" shows in the chat before the message goes out (null: not at all).
ALTER TABLE messages ADD COLUMN typing_ms integer CHECK (typing_ms IS NULL OR typing_ms BETWEEN 1 AND 10000);

-- A forward names the message it forwards (same customer; kept as text so retention can delete either one).
ALTER TABLE messages ADD COLUMN forwarded_from text CHECK (forwarded_from IS NULL OR forwarded_from LIKE 'msg\_%');
