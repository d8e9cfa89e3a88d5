/*
 * Where inbound media is kept: MEDIA_STORE=memory (this process's memory, the default) or s3 (an
 * S3-compatible bucket every node reads). The S3_* variables are read only for s3, and setting them
 * without MEDIA_STORE=s3 is an error: a cluster that meant to share a bucket but forgot the switch would
 * otherwise keep media in each node's memory without a word. Errors name the variable, never its value.
 */
import * as v from 'valibot';
import { ConfigError } from './parse-env.js';
import { Secret } from './secret.js';

const optionalText = v.optional(v.pipe(v.string(), v.trim(), v.nonEmpty('must not be empty when set')));

/** Bucket names as S3 allows them (3–63 lowercase letters, digits, dots and hyphens). */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export const mediaStoreEntries = {
  MEDIA_STORE: v.pipe(v.optional(v.string(), 'memory'), v.trim(), v.picklist(['memory', 's3'], 'must be memory or s3')),
  S3_ENDPOINT: v.optional(
    v.pipe(
      v.string(),
      v.trim(),
      v.check((value) => {
        try {
          return ['http:', 'https:'].includes(new URL(value).protocol);
        } catch {
          return false;
        }
      }, 'must be a URL starting with http:// or https://'),
    ),
  ),
  S3_BUCKET: v.optional(v.pipe(v.string(), v.trim(), v.regex(BUCKET, 'must be a bucket name: 3-63 lowercase letters, digits, dots and hyphens'))),
  S3_REGION: v.optional(v.pipe(v.string(), v.trim(), v.regex(/^[a-z0-9-]{1,64}$/, 'must be a region name such as us-east-1'))),
  S3_ACCESS_KEY_ID: optionalText,
  S3_SECRET_ACCESS_KEY: optionalText,
  S3_FORCE_PATH_STYLE: v.optional(
    v.pipe(v.string(), v.trim(), v.toLowerCase(), v.picklist(['true', 'false', '1', '0'], 'must be true or false')),
  ),
  S3_PREFIX: v.optional(
    v.pipe(v.string(), v.trim(), v.regex(/^[A-Za-z0-9!_.*'()/-]{0,200}$/, 'must be a key prefix of letters, digits and !_.*\'()/- (at most 200)')),
  ),
};

type MediaStoreEnv = v.InferOutput<v.ObjectSchema<typeof mediaStoreEntries, undefined>>;

export interface S3MediaConfig {
  /** S3_ENDPOINT; null: AWS's endpoint for the region. */
  readonly endpoint: string | null;
  readonly bucket: string;
  readonly region: string;
  /** null: the SDK's default credential chain (AWS_* variables, an instance or task role). */
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: Secret } | null;
  readonly forcePathStyle: boolean;
  /** Every object's key starts with it; the sweeper deletes only under it. */
  readonly prefix: string;
}

export type MediaStoreConfig = { readonly kind: 'memory' } | ({ readonly kind: 's3' } & S3MediaConfig);

/** The media store's part of the configuration; throws ConfigError naming each bad variable. */
export function mediaStoreConfig(e: MediaStoreEnv): MediaStoreConfig {
  const s3Names = (['S3_ENDPOINT', 'S3_BUCKET', 'S3_REGION', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY', 'S3_FORCE_PATH_STYLE', 'S3_PREFIX'] as const).filter(
    (name) => e[name] !== undefined,
  );
  if (e.MEDIA_STORE === 'memory') {
    if (s3Names.length > 0) throw new ConfigError(s3Names.map((name) => `${name} is set, but MEDIA_STORE is not s3 (set MEDIA_STORE=s3 to use the bucket)`));
    return { kind: 'memory' };
  }
  const problems: string[] = [];
  if (e.S3_BUCKET === undefined) problems.push('S3_BUCKET is required when MEDIA_STORE=s3');
  if ((e.S3_ACCESS_KEY_ID === undefined) !== (e.S3_SECRET_ACCESS_KEY === undefined)) {
    const missing = e.S3_ACCESS_KEY_ID === undefined ? 'S3_ACCESS_KEY_ID' : 'S3_SECRET_ACCESS_KEY';
    problems.push(`${missing} is required when ${missing === 'S3_ACCESS_KEY_ID' ? 'S3_SECRET_ACCESS_KEY' : 'S3_ACCESS_KEY_ID'} is set (set both, or neither for the default AWS credential chain)`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const prefix = e.S3_PREFIX ?? 'whatisup-media/';
  return {
    kind: 's3',
    endpoint: e.S3_ENDPOINT?.replace(/\/+$/, '') ?? null,
    bucket: e.S3_BUCKET!,
    region: e.S3_REGION ?? 'us-east-1',
    credentials:
      e.S3_ACCESS_KEY_ID === undefined || e.S3_SECRET_ACCESS_KEY === undefined
        ? null
        : { accessKeyId: e.S3_ACCESS_KEY_ID, secretAccessKey: new Secret(e.S3_SECRET_ACCESS_KEY) },
    forcePathStyle: e.S3_FORCE_PATH_STYLE === 'true' || e.S3_FORCE_PATH_STYLE === '1',
    prefix,
  };
}
