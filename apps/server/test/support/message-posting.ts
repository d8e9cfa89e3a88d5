/*
 * Posting many messages at once, as a busy integrator would, while recording when each request left and
 * when its answer came back: two requests whose intervals do not overlap have a known order from the
 * client's point of view, which is what "acceptance order" must respect.
 */
import type { ApiClient } from './api-client.js';

export interface PostedMessage {
  /** The position in the caller's list. */
  readonly index: number;
  readonly status: number;
  readonly messageId: string;
  /** performance.now() when the request was made and when its answer was read. */
  readonly startedAt: number;
  readonly answeredAt: number;
}

/**
 * POSTs `count` messages to the instance with at most `concurrency` requests in flight; `bodyOf(i)` gives
 * the request. Resolves with one entry per request, in list order (not answer order).
 */
export async function postMessagesConcurrently(
  api: ApiClient,
  instanceId: string,
  count: number,
  options: { concurrency: number; bodyOf: (index: number) => unknown },
): Promise<PostedMessage[]> {
  const posted: PostedMessage[] = new Array(count);
  let next = 0;
  async function lane(): Promise<void> {
    while (next < count) {
      const index = next++;
      const startedAt = performance.now();
      const response = await api.post<{ message_id?: string }>(`/v1/instances/${instanceId}/messages`, options.bodyOf(index));
      posted[index] = { index, status: response.status, messageId: response.body?.message_id ?? '', startedAt, answeredAt: performance.now() };
    }
  }
  await Promise.all(Array.from({ length: Math.min(options.concurrency, count) }, lane));
  return posted;
}
