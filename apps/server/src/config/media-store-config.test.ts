import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './load-config.js';

const valid = {
  DATABASE_URL: 'postgres://u:p@db:5432/whatisup',
  REDIS_URL: 'redis://cache:6379',
  API_KEY_PEPPER: 'p'.repeat(64),
  SECRETS_KEY: 'ab'.repeat(32),
};
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const s3 = { MEDIA_STORE: 's3', S3_BUCKET: 'whatisup-media', S3_ACCESS_KEY_ID: 'AKIAEXAMPLE', S3_SECRET_ACCESS_KEY: SECRET };

function problemsOf(env: Record<string, string | undefined>): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).not.toContain(SECRET);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('MEDIA_STORE and the S3 variables', () => {
  it('keep media in memory by default', () => {
    expect(loadConfig(valid).media.store).toEqual({ kind: 'memory' });
  });

  it('read a bucket with its defaults: AWS endpoint, us-east-1, virtual-hosted style, the whatisup-media/ prefix', () => {
    const { store } = loadConfig({ ...valid, ...s3 }).media;
    expect(store).toMatchObject({ kind: 's3', bucket: 'whatisup-media', endpoint: null, region: 'us-east-1', forcePathStyle: false, prefix: 'whatisup-media/' });
    if (store.kind !== 's3') throw new Error('s3 expected');
    expect(store.credentials?.accessKeyId).toBe('AKIAEXAMPLE');
    expect(store.credentials?.secretAccessKey.reveal()).toBe(SECRET);
    expect(inspect(store)).not.toContain(SECRET);
    expect(JSON.stringify(store)).not.toContain(SECRET);
  });

  it('read an S3-compatible endpoint with path-style addressing, and no credentials for the default chain', () => {
    const env = { ...valid, MEDIA_STORE: 's3', S3_BUCKET: 'media.bucket-1', S3_ENDPOINT: 'http://127.0.0.1:9000/', S3_FORCE_PATH_STYLE: 'TRUE', S3_REGION: 'eu-central-1', S3_PREFIX: 'x/' };
    expect(loadConfig(env).media.store).toMatchObject({ endpoint: 'http://127.0.0.1:9000', forcePathStyle: true, region: 'eu-central-1', prefix: 'x/', credentials: null });
  });

  it('refuse s3 without a bucket, and one half of the credentials, naming the variable and never the secret', () => {
    expect(problemsOf({ ...valid, MEDIA_STORE: 's3' })).toEqual(['S3_BUCKET is required when MEDIA_STORE=s3']);
    expect(problemsOf({ ...valid, ...s3, S3_ACCESS_KEY_ID: undefined })).toEqual([
      expect.stringMatching(/^S3_ACCESS_KEY_ID is required when S3_SECRET_ACCESS_KEY is set/),
    ]);
    expect(problemsOf({ ...valid, ...s3, S3_SECRET_ACCESS_KEY: undefined })).toEqual([
      expect.stringMatching(/^S3_SECRET_ACCESS_KEY is required when S3_ACCESS_KEY_ID is set/),
    ]);
  });

  it('refuse malformed values, naming each variable', () => {
    const problems = problemsOf({ ...valid, ...s3, MEDIA_STORE: 'S4', S3_ENDPOINT: 'minio:9000', S3_BUCKET: 'Bad_Bucket', S3_FORCE_PATH_STYLE: 'yes', S3_REGION: 'EU WEST' });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^MEDIA_STORE must be memory or s3/),
        expect.stringMatching(/^S3_ENDPOINT must be a URL/),
        expect.stringMatching(/^S3_BUCKET must be a bucket name/),
        expect.stringMatching(/^S3_FORCE_PATH_STYLE must be true or false/),
        expect.stringMatching(/^S3_REGION must be a region name/),
      ]),
    );
  });

  it('refuse S3 variables while MEDIA_STORE is memory: a cluster meant to share a bucket would silently not', () => {
    expect(problemsOf({ ...valid, S3_BUCKET: 'whatisup-media', S3_SECRET_ACCESS_KEY: SECRET })).toEqual([
      'S3_BUCKET is set, but MEDIA_STORE is not s3 (set MEDIA_STORE=s3 to use the bucket)',
      'S3_SECRET_ACCESS_KEY is set, but MEDIA_STORE is not s3 (set MEDIA_STORE=s3 to use the bucket)',
    ]);
  });
});
