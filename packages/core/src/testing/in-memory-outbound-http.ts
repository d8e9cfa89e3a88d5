/*
 * An OutboundHttp with no network, for tests of code that calls out (media downloads, webhook sends) and
 * as the second implementation the outbound HTTP contract runs against. A test serves answers at URLs
 * (`serve`) and sees what reached them (`received`). The policy is the port's, in small: only absolute
 * http(s) URLs without userinfo, and, unless `admitPrivateAddresses`, no IP literal (nor `localhost`) in a
 * loopback, private, link-local, CGNAT or unique-local range. Names are never resolved: a name is taken as
 * public. Redirects are returned, never followed; bodies are bounded like the real client's.
 */
import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import {
  DomainError,
  type OutboundDownloadResult,
  type OutboundFailure,
  type OutboundHttp,
  type OutboundResult,
  type UnsafeUrlReason,
} from '../shared/index.js';

/** What a served URL answers: a response, or a request accepted and never answered. */
export type ServedAnswer =
  | {
      readonly status: number;
      readonly headers?: Readonly<Record<string, string>>;
      readonly body?: string | Uint8Array;
    }
  | { readonly hang: true };

/** A request as it reached a served URL. */
export interface ReceivedRequest {
  readonly method: string;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
}

export interface InMemoryOutboundHttp extends OutboundHttp {
  /** Answers requests to a fresh URL with `answer` and returns that URL. */
  serve(answer: ServedAnswer): string;
  /** Requests that reached `url`, oldest first. */
  received(url: string): readonly ReceivedRequest[];
}

export interface InMemoryOutboundHttpOptions {
  /** Admit private and loopback IP literals (an operator's allow list); default false. */
  readonly admitPrivateAddresses?: boolean;
  /** Default deadline of a request; 10 000 ms. */
  readonly timeoutMs?: number;
  /** Default bound of a body read by send(); 1 KiB. */
  readonly maxResponseBytes?: number;
}

/** The address every name "resolves" to: a public one. */
const PUBLIC_ADDRESS = '93.184.215.14';

const PRIVATE_V4: readonly (readonly [number, number])[] = [
  [0x7f000000, 8], // loopback
  [0x0a000000, 8],
  [0xac100000, 12],
  [0xc0a80000, 16], // private
  [0xa9fe0000, 16], // link-local, cloud metadata
  [0x64400000, 10], // CGNAT
  [0x00000000, 8], // this network
];

function isPrivateAddress(address: string): boolean {
  if (isIP(address) === 4) {
    const value = address.split('.').reduce((sum, part) => sum * 256 + Number(part), 0);
    return PRIVATE_V4.some(([base, bits]) => Math.floor(value / 2 ** (32 - bits)) === Math.floor(base / 2 ** (32 - bits)));
  }
  const lower = address.toLowerCase();
  return lower === '::1' || lower === '::' || /^f[cd]/.test(lower) || /^fe[89ab]/.test(lower) || lower.startsWith('::ffff:');
}

export function createInMemoryOutboundHttp(options: InMemoryOutboundHttpOptions = {}): InMemoryOutboundHttp {
  const routes = new Map<string, { answer: ServedAnswer; received: ReceivedRequest[] }>();
  let served = 0;

  function check(input: string): { url: URL; hostname: string; addresses: string[] } | { reason: UnsafeUrlReason; message: string } {
    let url: URL;
    try {
      url = new URL(input);
    } catch {
      return { reason: 'invalid_url', message: 'The URL is not a valid absolute URL.' };
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return { reason: 'unsupported_scheme', message: `Only http and https URLs are allowed, not ${url.protocol}.` };
    }
    if (url.username !== '' || url.password !== '') {
      return { reason: 'userinfo_present', message: 'The URL must not contain a user name or password.' };
    }
    const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    const address = isIP(hostname) !== 0 ? hostname : hostname === 'localhost' ? '127.0.0.1' : PUBLIC_ADDRESS;
    if (!options.admitPrivateAddresses && isPrivateAddress(address)) {
      return { reason: 'forbidden_address', message: 'The URL resolves to a non-public address.' };
    }
    return { url, hostname, addresses: [address] };
  }

  async function exchange(
    request: { method: string; url: string; headers?: Readonly<Record<string, string>>; body?: string | Uint8Array; timeoutMs?: number },
  ): Promise<{ answer: Exclude<ServedAnswer, { hang: true }>; address: string; started: number } | OutboundFailure> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const checked = check(request.url);
    if ('reason' in checked) return { kind: 'unsafe_url', reason: checked.reason, message: checked.message, durationMs: elapsed() };
    const route = routes.get(checked.url.href);
    if (route === undefined) return { kind: 'connect_error', message: 'Nothing listens there.', durationMs: elapsed() };
    const headers = Object.fromEntries(Object.entries(request.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
    const body = typeof request.body === 'string' ? new TextEncoder().encode(request.body) : Uint8Array.from(request.body ?? []);
    route.received.push({ method: request.method, headers, body });
    if ('hang' in route.answer) {
      await new Promise((resolve) => setTimeout(resolve, request.timeoutMs ?? options.timeoutMs ?? 10_000));
      return { kind: 'timeout', message: 'The server did not answer in time.', durationMs: elapsed() };
    }
    return { answer: route.answer, address: checked.addresses[0]!, started };
  }

  const bodyOf = (answer: Exclude<ServedAnswer, { hang: true }>): Uint8Array =>
    typeof answer.body === 'string' ? new TextEncoder().encode(answer.body) : Uint8Array.from(answer.body ?? []);
  const headersOf = (answer: Exclude<ServedAnswer, { hang: true }>): Record<string, string> =>
    Object.fromEntries(Object.entries(answer.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
  const since = (started: number) => Math.round(performance.now() - started);

  return {
    serve(answer) {
      served += 1;
      const url = `http://served-${served}.in-memory.example/path-${served}`;
      routes.set(url, { answer, received: [] });
      return url;
    },
    received: (url) => routes.get(url)?.received ?? [],
    async checkUrl(url) {
      const checked = check(url);
      if ('reason' in checked) throw new DomainError('unsafe_url', checked.message, { reason: checked.reason });
      return { url: checked.url.href, hostname: checked.hostname, addresses: checked.addresses };
    },
    async send(request): Promise<OutboundResult> {
      const outcome = await exchange(request);
      if ('kind' in outcome) return outcome;
      const limit = request.maxResponseBytes ?? options.maxResponseBytes ?? 1024;
      const body = bodyOf(outcome.answer);
      return {
        kind: 'response',
        status: outcome.answer.status,
        headers: headersOf(outcome.answer),
        body: body.slice(0, limit),
        bodyTruncated: body.byteLength > limit,
        address: outcome.address,
        durationMs: since(outcome.started),
      };
    },
    async download(request): Promise<OutboundDownloadResult> {
      const outcome = await exchange({ ...request, method: 'GET' });
      if ('kind' in outcome) return outcome;
      const { status } = outcome.answer;
      const durationMs = since(outcome.started);
      if (status < 200 || status > 299) return { kind: 'http_status', status, message: `The server answered ${status}.`, durationMs };
      const body = bodyOf(outcome.answer);
      if (body.byteLength > request.maxBytes) {
        return { kind: 'too_large', maxBytes: request.maxBytes, message: `The body is larger than ${request.maxBytes} bytes.`, durationMs };
      }
      return { kind: 'downloaded', status, contentType: headersOf(outcome.answer)['content-type'] ?? null, body, durationMs };
    },
  };
}
