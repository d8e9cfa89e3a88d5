import { DomainError, isDomainError, MEDIA_HELD_ELSEWHERE } from '@whatisup/core';
import { createFakeClock, createInMemoryNodeRegistry } from '@whatisup/core/testing';
import type { AnyRouteSpec } from '@whatisup/http-fastify';
import { describe, expect, it } from 'vitest';
import { FORWARDED_HEADER } from './forward-to-owner.js';
import { forwardMediaToHolder } from './forward-media-to-holder.js';

const TTL_MS = 5_000;
const heldBy = (holder: string) =>
  new DomainError('unavailable', 'held elsewhere', { reason: MEDIA_HELD_ELSEWHERE, holder, expires_at: '2026-05-01T13:00:00.000Z', retry_after_seconds: 1 });

async function answerOf(error: Error, headers: Record<string, string> = {}, nodes: { id: string; heartbeatAgoMs: number }[] = []) {
  const clock = createFakeClock();
  const registry = createInMemoryNodeRegistry();
  for (const node of nodes) {
    const at = new Date(clock.now().getTime() - node.heartbeatAgoMs);
    await registry.register({ id: node.id, address: 'http://127.0.0.1:9', maxSessions: 10, startedAt: at, heartbeatAt: at });
  }
  const route = { handler: async () => Promise.reject(error) } as unknown as AnyRouteSpec;
  const [wrapped] = forwardMediaToHolder([route], { nodeId: 'node_a', registry, clock, liveWithinMs: TTL_MS, hops: { sign: () => 'signed-hop' } });
  const context = { request: { headers, url: '/v1/media/x', log: { warn: () => undefined } }, reply: {} };
  return wrapped!.handler(context as never).then(
    () => null,
    (thrown: unknown) => thrown,
  );
}

describe('forwarding a media download to the node that holds it', () => {
  it('leaves every other error alone', async () => {
    const other = new DomainError('unavailable', 'owned elsewhere', { reason: 'owned_elsewhere' });
    expect(await answerOf(other)).toBe(other);
  });

  it('answers 410 media_expired when the holder is no longer registered: it stopped, and its memory with it', async () => {
    const answer = await answerOf(heldBy('node_gone'));
    expect(isDomainError(answer, 'media_expired')).toBe(true);
    expect((answer as DomainError).details).toEqual({ expired_at: '2026-05-01T13:00:00.000Z' });
  });

  it('answers 503 with a retry, not naming the holder, while the holder is registered but not live', async () => {
    const answer = await answerOf(heldBy('node_b'), {}, [{ id: 'node_b', heartbeatAgoMs: TTL_MS + 1 }]);
    expect(isDomainError(answer, 'unavailable')).toBe(true);
    expect((answer as DomainError).details).toEqual({ reason: 'media_holder_unreachable', retry_after_seconds: 5 });
  });

  it('does not forward a request that was forwarded already: one hop, never a loop', async () => {
    const answer = await answerOf(heldBy('node_b'), { [FORWARDED_HEADER]: 'node_c' }, [{ id: 'node_b', heartbeatAgoMs: 0 }]);
    expect(isDomainError(answer, 'unavailable')).toBe(true);
    expect(JSON.stringify((answer as DomainError).details)).not.toContain('node_b');
  });
});
