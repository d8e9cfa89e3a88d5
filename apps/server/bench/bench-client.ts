/*
 * The load generator's HTTP client: node:http over one keep-alive Agent with as many sockets as the
 * concurrency, so N concurrent callers hold N persistent connections. It is leaner than fetch, which
 * matters because the client shares the machine's two cores with the server it measures.
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

export interface BenchResponse<T> {
  readonly status: number;
  readonly body: T;
  /** From the request being written to the last byte of the response, in ms. */
  readonly latencyMs: number;
}

export interface BenchClient {
  /** Sends one request with the API key; `body` is sent as JSON. Rejects on a network error or after 30 s. */
  call<T = unknown>(method: string, path: string, body?: unknown): Promise<BenchResponse<T>>;
  close(): void;
}

const REQUEST_TIMEOUT_MS = 30_000;

export function createBenchClient(baseUrl: string, apiKey: string, options: { maxSockets: number }): BenchClient {
  const base = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: options.maxSockets, maxFreeSockets: options.maxSockets });
  const authorization = `Bearer ${apiKey}`;

  function call<T>(method: string, path: string, body?: unknown): Promise<BenchResponse<T>> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = { authorization };
    if (payload !== undefined) headers['content-type'] = 'application/json';
    return new Promise((resolve, reject) => {
      const started = performance.now();
      const req = request(
        { host: base.hostname, port: base.port, method, path, agent, headers, timeout: REQUEST_TIMEOUT_MS },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const latencyMs = performance.now() - started;
            try {
              resolve({ status: res.statusCode ?? 0, body: (text.length > 0 ? JSON.parse(text) : null) as T, latencyMs });
            } catch {
              resolve({ status: res.statusCode ?? 0, body: text as T, latencyMs });
            }
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within ${REQUEST_TIMEOUT_MS} ms`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  return { call, close: () => agent.destroy() };
}
