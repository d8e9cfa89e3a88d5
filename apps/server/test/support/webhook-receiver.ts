/*
 * A real HTTP server standing in for an integrator's webhook endpoint. It records every request with its
 * exact body bytes, answers as the test tells it (per request, so one receiver can serve several paths),
 * and counts the requests that are open at once, so a test can see how many the server keeps in flight.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { until } from '@whatisup/test-infra';

export interface ReceivedWebhook {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** The body exactly as it arrived. */
  readonly rawBody: Buffer;
  /** `rawBody` as UTF-8. */
  readonly body: string;
  /** `X-WhatIsUp-Event-Id`, or '' when absent. */
  readonly eventId: string;
  readonly receivedAt: number;
}

/** How to answer one request; `'hang'` never answers (the request stays open until the client gives up). */
export type ReceiverReply = { readonly status: number; readonly headers?: Record<string, string>; readonly delayMs?: number } | 'hang';

export type ReplyRule = (request: ReceivedWebhook) => ReceiverReply;

export interface WebhookReceiver {
  /** The base URL, e.g. http://127.0.0.1:43210 (append a path). */
  readonly url: string;
  readonly received: readonly ReceivedWebhook[];
  /** Requests received and not yet answered or abandoned by the client. */
  readonly openRequests: number;
  /** The most requests that were ever open at once. */
  readonly maxOpenRequests: number;
  /** Distinct event ids seen so far. */
  eventIds(): Set<string>;
  /** Changes how later requests are answered. */
  replyWith(rule: ReplyRule): void;
  /** Resolves once `predicate` holds for what was received; rejects after `timeoutMs` saying what was seen. */
  waitFor(predicate: (received: readonly ReceivedWebhook[]) => boolean, what: string, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

const ok: ReplyRule = () => ({ status: 200 });

export async function startWebhookReceiver(options: { host?: string; reply?: ReplyRule } = {}): Promise<WebhookReceiver> {
  const host = options.host ?? '127.0.0.1';
  let rule = options.reply ?? ok;
  const received: ReceivedWebhook[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let open = 0;
  let maxOpen = 0;

  const answer = (response: ServerResponse, reply: Exclude<ReceiverReply, 'hang'>) => {
    if (response.destroyed) return;
    response.writeHead(reply.status, { 'content-type': 'text/plain', ...reply.headers }).end(`status ${reply.status}`);
  };

  const server = createServer((request, response) => {
    open += 1;
    maxOpen = Math.max(maxOpen, open);
    response.on('close', () => (open -= 1));
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const rawBody = Buffer.concat(chunks);
      const eventId = request.headers['x-whatisup-event-id'];
      const entry: ReceivedWebhook = {
        path: request.url ?? '/',
        headers: request.headers,
        rawBody,
        body: rawBody.toString('utf8'),
        eventId: typeof eventId === 'string' ? eventId : '',
        receivedAt: Date.now(),
      };
      received.push(entry);
      const reply = rule(entry);
      if (reply === 'hang') return;
      if (!reply.delayMs) return answer(response, reply);
      const timer = setTimeout(() => {
        timers.delete(timer);
        answer(response, reply);
      }, reply.delayMs);
      timers.add(timer);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${host}:${port}`,
    received,
    get openRequests() {
      return open;
    },
    get maxOpenRequests() {
      return maxOpen;
    },
    eventIds: () => new Set(received.map((r) => r.eventId)),
    replyWith: (next) => {
      rule = next;
    },
    waitFor: (predicate, what, timeoutMs = 15_000) =>
      until(() => predicate(received), {
        timeoutMs,
        message: () => `receiver at ${host}:${port}: ${what} (received ${received.length} requests so far)`,
      }),
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
