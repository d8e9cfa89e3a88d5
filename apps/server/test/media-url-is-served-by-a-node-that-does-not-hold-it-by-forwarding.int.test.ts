/*
 * MEDIA_STORE=memory on two real nodes: an inbound image on an instance that node B runs is kept in B's
 * memory; its URL fetched from node A is forwarded to B and serves the same bytes. While B is paused
 * past its heartbeat, A answers 503 `unavailable` with Retry-After; once B stopped (deregistered, its
 * memory gone), A answers 410 `media_expired`.
 */
import { until } from '@whatisup/test-infra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMediaCluster, type MediaCluster } from './support/media-on-two-nodes.js';
import { sharedRedisOrSkip } from './support/redis-for-servers.js';

const LEASE_TTL_MS = 5_000;
let cluster: MediaCluster;

const redisUrl = sharedRedisOrSkip('media-url-is-served-by-a-node-that-does-not-hold-it-by-forwarding', 'two nodes share one queue, which takes a Redis');

beforeAll(async () => {
  if (redisUrl === null) return;
  cluster = await startMediaCluster(redisUrl, { MEDIA_STORE: 'memory', SESSION_LEASE_TTL_MS: String(LEASE_TTL_MS) });
}, 120_000);

afterAll(async () => {
  await cluster?.close();
});

// Skips only without a Redis (never in CI, where TEST_REQUIRE_INFRA=1): two nodes share one queue.
describe.skipIf(redisUrl === null)('an inbound image kept in the memory of the node that runs the instance', () => {
  let path = '';

  it('is served by the other node, which forwards the download to the holder', async () => {
    const image = await cluster.receiveImage();
    path = image.path;
    for (const node of [cluster.other, cluster.owner]) {
      const response = await cluster.fetchFrom(node, path);
      expect(response.status, node === cluster.other ? 'through the other node' : 'from the holder').toBe(200);
      expect(response.headers.get('content-type')).toBe('image/png');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(Buffer.from(await response.arrayBuffer()).equals(image.bytes)).toBe(true);
    }
    expect(cluster.other.server.output()).not.toMatch(/"level":50/);
  }, 60_000);

  it('still wants the API key on the other node: 401 without it', async () => {
    const anonymous = await fetch(`${cluster.other.server.url}${path}`);
    expect(anonymous.status).toBe(401);
  });

  it('answers 503 with Retry-After, not naming the holder, while the holder is paused past its heartbeat', async () => {
    expect(path, 'the first test got a media path').not.toBe('');
    cluster.owner.server.child.kill('SIGSTOP');
    try {
      let last = 0;
      let body: { error: { code: string; details: Record<string, unknown> } } | undefined;
      let retryAfter: string | null = null;
      await until(
        async () => {
          const response = await cluster.fetchFrom(cluster.other, path);
          last = response.status;
          retryAfter = response.headers.get('retry-after');
          body = (await response.json().catch(() => undefined)) as typeof body;
          return last === 503;
        },
        // A forward first waits for the paused holder to start answering, then its heartbeat goes stale.
        { timeoutMs: 90_000, intervalMs: 500, message: () => `the other node still answers ${last}` },
      );
      expect(Number(retryAfter)).toBeGreaterThan(0);
      expect(body!.error.code).toBe('unavailable');
      expect(JSON.stringify(body)).not.toContain(cluster.owner.id);
    } finally {
      cluster.owner.server.child.kill('SIGCONT');
    }
  }, 120_000);

  it('answers 410 media_expired once the holder stopped: its memory, and the bytes, are gone', async () => {
    expect(await cluster.owner.server.stop('SIGTERM')).toBe(0);
    const response = await cluster.fetchFrom(cluster.other, path);
    expect(response.status).toBe(410);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('media_expired');
  }, 60_000);
});
