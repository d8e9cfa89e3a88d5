/*
 * MEDIA_STORE=s3 on two real nodes and an S3-compatible server started here (s3rver on a loopback port):
 * an inbound image on an instance that node B runs is written to the bucket; its URL is served by node A
 * from the bucket, and still after B was killed with SIGKILL. A node given a bucket that does not exist
 * refuses to start, naming S3_BUCKET and never the secret.
 */
import { startLocalS3Server, type LocalS3Server } from '@whatisup/test-infra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMediaCluster, type MediaCluster } from './support/media-on-two-nodes.js';
import { startServer, testEnv } from './support/processes.js';
import { sharedRedisOrSkip } from './support/redis-for-servers.js';

let s3: LocalS3Server;
let cluster: MediaCluster;

const redisUrl = sharedRedisOrSkip('media-url-is-served-by-any-node-from-a-shared-s3-bucket', 'two nodes share one queue, which takes a Redis');

const s3Env = (bucket: string) => ({
  MEDIA_STORE: 's3',
  S3_ENDPOINT: s3.endpoint,
  S3_BUCKET: bucket,
  S3_REGION: s3.region,
  S3_ACCESS_KEY_ID: s3.accessKeyId,
  S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
  S3_FORCE_PATH_STYLE: 'true',
});

beforeAll(async () => {
  if (redisUrl === null) return;
  s3 = await startLocalS3Server();
  cluster = await startMediaCluster(redisUrl, s3Env(s3.bucket));
}, 120_000);

afterAll(async () => {
  await cluster?.close();
  await s3?.close();
});

// Skips only without a Redis (never in CI, where TEST_REQUIRE_INFRA=1): two nodes share one queue.
describe.skipIf(redisUrl === null)('an inbound image kept in a shared S3 bucket', () => {
  let path = '';
  let bytes: Buffer = Buffer.alloc(0);

  it('is served by the node that does not run the instance, from the bucket', async () => {
    ({ path, bytes } = await cluster.receiveImage());
    const response = await cluster.fetchFrom(cluster.other, path);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).toBe(true);
    // Nothing was forwarded: the URL names no holder, and the owner saw no request for it.
    expect(cluster.owner.server.output()).not.toContain(path.slice(-40));
  }, 60_000);

  it('is still served after the node that received it was killed', async () => {
    expect(path, 'the first test got a media path').not.toBe('');
    await cluster.owner.server.stop('SIGKILL');
    const response = await cluster.fetchFrom(cluster.other, path);
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).toBe(true);
  }, 60_000);

  it('keeps a node with a bucket that does not exist from starting, naming S3_BUCKET and not the secret', async () => {
    const env = testEnv(cluster.database.url, redisUrl!, { ...s3Env('no-such-bucket'), S3_SECRET_ACCESS_KEY: 'a-secret-that-must-not-show' });
    const refused = await startServer(env).then(
      async (server) => {
        await server.stop('SIGKILL');
        return new Error('the server started');
      },
      (error: Error) => error,
    );
    expect(refused.message).toMatch(/exited with 78/);
    expect(refused.message).toMatch(/S3_BUCKET no-such-bucket cannot be used: .*NoSuchBucket/);
    expect(refused.message).not.toContain('a-secret-that-must-not-show');
  }, 60_000);
});
