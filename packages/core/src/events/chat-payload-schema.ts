/* A chat as the chat routes show it and the `chat.*` events carry it. */
import * as v from 'valibot';

export const ChatPayloadSchema = v.object({
  chat_id: v.pipe(v.string(), v.description('The chat JID (`…@s.whatsapp.net`, `…@g.us` for a group, `…@lid`).'), v.metadata({ example: '4915112345678@s.whatsapp.net' })),
  name: v.pipe(v.nullable(v.string()), v.description('The chat’s name as WhatsApp or the sender’s push name gave it; null when unknown.')),
  is_group: v.boolean(),
  unread_count: v.pipe(v.number(), v.description('Inbound messages not yet read.')),
  unread: v.pipe(v.boolean(), v.description('Unread messages wait, or the chat was marked unread.')),
  archived: v.boolean(),
  pinned: v.boolean(),
  muted_until: v.pipe(v.nullable(v.string()), v.description('Muted until then (ISO-8601); null when not muted.')),
  ephemeral_seconds: v.pipe(v.number(), v.description('Disappearing messages: how long a message lives, in seconds; 0 when off.')),
  last_activity_at: v.pipe(v.string(), v.description('When the last message of the chat passed (or when the chat was learnt).')),
  updated_at: v.string(),
});

export type ChatPayload = v.InferOutput<typeof ChatPayloadSchema>;
