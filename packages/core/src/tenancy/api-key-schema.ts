/*
 * API keys on the wire: the key as lists show it, the key as created (with its secret, once) and the body
 * that creates one. The HTTP edge validates and documents with these schemas.
 */
import * as v from 'valibot';
import { NullableTimestamp, Timestamp, idSchema, timestampInput } from '../shared/index.js';
import type { ApiKey } from './api-key.js';
import type { CreatedApiKey } from './create-api-key.js';

export const ApiKeyJson = v.object({
  id: idSchema('key', 'API key id.'),
  name: v.nullable(v.string()),
  prefix: v.pipe(v.string(), v.description('The public start of the key (`wiu_...`); safe to show and log.')),
  instance_id: v.pipe(v.nullable(v.string()), v.description('Set when the key may act on this instance only.')),
  parent_key_id: v.pipe(
    v.nullable(v.string()),
    v.description('The key that created this one (null when the operator did). Revoking it revokes this key too.'),
  ),
  created_at: Timestamp,
  last_used_at: v.pipe(NullableTimestamp, v.description('Recorded in batches, so it may lag behind the latest use by a few seconds.')),
  expires_at: NullableTimestamp,
  revoked_at: NullableTimestamp,
});

export type ApiKeyJson = v.InferInput<typeof ApiKeyJson>;

export const CreatedApiKeyJson = v.object({
  ...ApiKeyJson.entries,
  key: v.pipe(v.string(), v.description('The full key. Shown only in this response: store it now.')),
});

export const CreateApiKeyBody = v.strictObject({
  name: v.optional(v.nullable(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(100)))),
  instance_id: v.optional(
    v.nullable(
      v.pipe(
        v.string(),
        v.minLength(1),
        v.maxLength(64),
        v.description('Bind the key to one instance. Required when the calling key is itself bound.'),
      ),
    ),
  ),
  expires_at: v.optional(
    v.nullable(
      v.pipe(
        timestampInput(),
        v.description("Not after the calling key's expiry (400 invalid_input otherwise). Absent: the calling key's expiry."),
      ),
    ),
  ),
});

/** The one domain → JSON mapping of an API key; never includes the secret or its hash. */
export function toApiKeyJson(key: ApiKey): ApiKeyJson {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    instance_id: key.instanceId,
    parent_key_id: key.parentKeyId,
    created_at: key.createdAt.toISOString(),
    last_used_at: key.lastUsedAt?.toISOString() ?? null,
    expires_at: key.expiresAt?.toISOString() ?? null,
    revoked_at: key.revokedAt?.toISOString() ?? null,
  };
}

export function toCreatedApiKeyJson(created: CreatedApiKey): v.InferInput<typeof CreatedApiKeyJson> {
  return { ...toApiKeyJson(created.apiKey), key: created.key };
}
