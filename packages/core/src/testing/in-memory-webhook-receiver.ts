/*
 * A fake OutboundHttp for webhook tests: records every request and answers from a script (one answer per
 * call, the last repeated), without any network. `checkUrl` refuses hosts listed in `unsafeHosts` the way
 * the real client does (DomainError `unsafe_url`) and accepts the rest as given.
 */
import { DomainError, type OutboundHttp, type OutboundRequest, type OutboundResult } from '../shared/index.js';

/** A scripted answer: a status (with optional headers and body) or a failure kind. */
export type ScriptedAnswer =
  | { readonly status: number; readonly headers?: Record<string, string>; readonly body?: string }
  | { readonly fail: 'timeout' | 'connect_error' | 'dns_error' | 'tls_error' | 'network_error' };

export interface InMemoryWebhookReceiver extends OutboundHttp {
  /** Every request sent, oldest first. */
  readonly requests: OutboundRequest[];
  /** Replaces the script: the next calls get these answers in order, the last one repeating. */
  answer(...answers: ScriptedAnswer[]): void;
  /** Makes the next `send` wait until the returned function is called (to hold a request in flight). */
  hold(): () => void;
}

export function createInMemoryWebhookReceiver(options: { readonly unsafeHosts?: readonly string[] } = {}): InMemoryWebhookReceiver {
  const requests: OutboundRequest[] = [];
  let script: ScriptedAnswer[] = [{ status: 200 }];
  let gate: Promise<void> | null = null;

  function toResult(answer: ScriptedAnswer): OutboundResult {
    if ('fail' in answer) return { kind: answer.fail, message: `simulated ${answer.fail}`, durationMs: 5 };
    return {
      kind: 'response',
      status: answer.status,
      headers: answer.headers ?? {},
      body: new TextEncoder().encode(answer.body ?? ''),
      bodyTruncated: false,
      address: '203.0.113.10',
      durationMs: 5,
    };
  }

  return {
    requests,
    answer(...answers) {
      script = answers.length === 0 ? [{ status: 200 }] : answers;
    },
    hold() {
      let open!: () => void;
      gate = new Promise<void>((resolve) => (open = resolve));
      return open;
    },
    async checkUrl(url) {
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        throw new DomainError('unsafe_url', 'The URL is not valid.', { reason: 'invalid_url' });
      }
      if (options.unsafeHosts?.includes(parsed.hostname)) {
        throw new DomainError('unsafe_url', 'The URL resolves to a forbidden address.', { reason: 'forbidden_address' });
      }
      return { url: parsed.toString(), hostname: parsed.hostname, addresses: ['203.0.113.10'] };
    },
    async send(request) {
      requests.push(request);
      const waiting = gate;
      gate = null;
      if (waiting !== null) await waiting;
      const answer = script.length > 1 ? script.shift()! : script[0]!;
      return toResult(answer);
    },
    async download() {
      throw new Error('The in-memory webhook receiver does not download.');
    },
  };
}
