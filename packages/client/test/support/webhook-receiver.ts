/*
 * A local HTTP server standing in for an integrator's webhook endpoint: it keeps every request's exact body
 * bytes and headers and answers 200.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { until } from '@whatisup/test-infra';

export interface ReceivedRequest {
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: Buffer;
}

export interface WebhookReceiver {
  readonly url: string;
  readonly received: readonly ReceivedRequest[];
  /** Resolves with the first request `predicate` accepts (already received or still to come). */
  waitFor(predicate: (request: ReceivedRequest) => boolean, what: string): Promise<ReceivedRequest>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedRequest[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, rawBody: Buffer.concat(chunks) });
      response.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    waitFor: async (predicate, what) => {
      await until(() => received.some(predicate), { timeoutMs: 20_000, message: () => `the receiver got no ${what} (${received.length} requests)` });
      return received.find(predicate)!;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
