/*
 * Changes to WhatsApp state other than sending a message (block a contact, ...). They are staged in the
 * instance's outbox like sends and performed by the outbox worker, in acceptance order with the sends,
 * through `WhatsAppSession.perform`. Addresses are as on the session port (MSISDN or JID).
 */
export type SessionAction =
  | { readonly type: 'block'; readonly address: string }
  | { readonly type: 'unblock'; readonly address: string };

export type SessionActionType = SessionAction['type'];
