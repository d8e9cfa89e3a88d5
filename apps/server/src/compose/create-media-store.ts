/*
 * The media store behind signed `/v1/media` URLs, as MEDIA_STORE says:
 *  - memory: this process's LRU (MEDIA_CACHE_MAX_BYTES), its URLs signed with this node's id, so another
 *    node forwards their downloads here (compose/forward-media-to-holder.ts);
 *  - s3: a bucket every node reads. Start-up lists the prefix once, so a wrong bucket, endpoint or
 *    credentials stop the process with the S3 error code rather than failing each inbound attachment
 *    later; a sweeper deletes expired objects (every API process schedules it, one at a time runs it).
 * Store failures are logged here (the store's errors name the S3 code and bucket, never a credential).
 */
import { createMediaStore, MEDIA_LIMITS, type Clock, type LeaderLock, type MediaStore } from '@whatisup/core';
import { createS3MediaStore } from '@whatisup/media-s3';
import type { Logger } from 'pino';
import { ConfigError, type Config } from '../config/load-config.js';
import { every } from './every.js';

/** How often expired objects are deleted from the bucket. */
const SWEEP_INTERVAL_MS = 60 * 1000;

export interface ConfiguredMediaStore {
  readonly store: MediaStore;
  /** Starts the sweeper (s3 only); returns its stop function, which also closes the client. */
  start(): () => Promise<void>;
}

export async function createConfiguredMediaStore(
  config: Pick<Config, 'media'>,
  logger: Logger,
  deps: { readonly clock: Clock; readonly nodeId: string; readonly leader: LeaderLock },
): Promise<ConfiguredMediaStore> {
  const ttlMs = config.media.urlTtlSeconds * 1000;
  const settings = config.media.store;
  if (settings.kind === 'memory') {
    const store = createMediaStore({ clock: deps.clock, maxBytes: config.media.cacheMaxBytes, ttlMs, holder: deps.nodeId });
    logger.info({ media_store: 'memory', max_bytes: config.media.cacheMaxBytes }, 'media store');
    return { store, start: () => async () => undefined };
  }
  const s3 = createS3MediaStore({
    clock: deps.clock,
    ttlMs,
    // A bucket has no total to bound; one item is capped at the largest attachment WhatsApp carries.
    maxBytes: MEDIA_LIMITS.document.maxBytes,
    bucket: settings.bucket,
    prefix: settings.prefix,
    endpoint: settings.endpoint,
    region: settings.region,
    credentials: settings.credentials && {
      accessKeyId: settings.credentials.accessKeyId,
      secretAccessKey: settings.credentials.secretAccessKey.reveal(),
    },
    forcePathStyle: settings.forcePathStyle,
  });
  const where = { media_store: 's3', bucket: settings.bucket, prefix: settings.prefix, endpoint: settings.endpoint ?? '(AWS)' };
  try {
    await s3.probe();
  } catch (error) {
    s3.close();
    // Reported as configuration (exit 78, no stack): the message names the variables to check.
    throw new ConfigError([
      `S3_BUCKET ${settings.bucket} cannot be used: ${(error as Error).message}. Check S3_ENDPOINT, S3_BUCKET, S3_REGION, ` +
        'S3_FORCE_PATH_STYLE and the credentials (S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY).',
    ]);
  }
  logger.info(where, 'media store');
  const store: MediaStore = {
    holder: null,
    maxBytes: s3.maxBytes,
    put: (media) =>
      s3.put(media).catch((error: unknown) => {
        logger.warn({ err: error, ...where }, 'an attachment could not be stored; its event says download_failed');
        throw error;
      }),
    get: (id) =>
      s3.get(id).catch((error: unknown) => {
        logger.warn({ err: error, ...where }, 'a media download could not read the bucket');
        throw error;
      }),
  };
  return {
    store,
    start() {
      const stop = every(
        SWEEP_INTERVAL_MS,
        async () => {
          const run = await deps.leader.run('media-sweeper', () => s3.sweepExpired());
          if (run.led && run.result > 0) logger.info({ deleted: run.result, ...where }, 'deleted expired media');
        },
        (error) => logger.warn({ err: error, ...where }, 'deleting expired media failed; it runs again'),
      );
      return async () => {
        await stop();
        s3.close();
      };
    },
  };
}
