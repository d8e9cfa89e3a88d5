/*
 * Instances on the wire: the instance as every response shows it and the body that creates one. The HTTP
 * edge validates and documents with these schemas; the create-instance use case validates its input with
 * the same body schema.
 */
import * as v from 'valibot';
import { NullableTimestamp, Timestamp, idSchema } from '../shared/index.js';
import { INSTANCE_KINDS, INSTANCE_STATUSES, type Instance } from './instance.js';

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * `v.record` would turn an array into `{}`; metadata must be a real object, so it is checked by hand. The
 * metadata gives the JSON Schema a check cannot; it comes before the transform, which ends what a JSON
 * Schema of the input describes.
 */
const MetadataSchema = v.pipe(
  v.unknown(),
  v.check(isPlainObject, 'Expected an object.'),
  v.metadata({ type: 'object', additionalProperties: true, maxProperties: 50 }),
  v.description('Your own key-value data (up to 50 keys of 1 to 40 characters); stored and returned as is.'),
  v.transform((value) => value as Record<string, unknown>),
  v.check((value) => Object.keys(value).length <= 50, 'At most 50 keys.'),
  v.check((value) => Object.keys(value).every((key) => key.length >= 1 && key.length <= 40), 'Keys must be 1 to 40 characters.'),
);

export const InstanceJson = v.object({
  id: idSchema('inst', 'Instance id.'),
  name: v.string(),
  kind: v.picklist(INSTANCE_KINDS),
  status: v.picklist(INSTANCE_STATUSES),
  status_reason: v.nullable(v.string()),
  phone_number: v.nullable(v.string()),
  last_seen_at: NullableTimestamp,
  metadata: v.record(v.string(), v.unknown()),
  created_at: Timestamp,
  updated_at: Timestamp,
  deleted_at: NullableTimestamp,
});

export type InstanceJson = v.InferInput<typeof InstanceJson>;

export const CreateInstanceBody = v.strictObject({
  name: v.pipe(
    v.string(),
    v.trim(),
    v.minLength(1),
    v.maxLength(100),
    v.description('Unique among your live instances.'),
  ),
  kind: v.optional(
    v.pipe(v.picklist(INSTANCE_KINDS), v.description('`sandbox` simulates a phone, for integration tests.')),
    'whatsapp',
  ),
  metadata: v.optional(MetadataSchema, {}),
});

/** The one domain → JSON mapping of an instance. */
export function toInstanceJson(instance: Instance): InstanceJson {
  return {
    id: instance.id,
    name: instance.name,
    kind: instance.kind,
    status: instance.status,
    status_reason: instance.statusReason,
    phone_number: instance.phoneNumber,
    last_seen_at: instance.lastSeenAt?.toISOString() ?? null,
    metadata: instance.metadata,
    created_at: instance.createdAt.toISOString(),
    updated_at: instance.updatedAt.toISOString(),
    deleted_at: instance.deletedAt?.toISOString() ?? null,
  };
}
