/*
 * One outbound request as an OpenTelemetry HTTP client span: named after the method, with the method, the
 * server's name and port, the scheme, the response status and, on failure, `error.type` (the status code
 * from 400 up, else the failure kind: timeout, network_error, unsafe_url...). Never the path or the query:
 * a webhook URL's path or query is often its secret (`/services/T0/B0/XXXX`, `?token=`).
 * No `traceparent` header is sent: the receiver is a customer's service, not part of our trace.
 */
import { inSpan, type Tracing } from '@whatisup/core';

type Outcome = { readonly kind: string; readonly status?: number; readonly address?: string };

function serverOf(url: string): Record<string, string | number> {
  try {
    const parsed = new URL(url);
    const port = parsed.port === '' ? (parsed.protocol === 'https:' ? 443 : 80) : Number(parsed.port);
    return { 'server.address': parsed.hostname, 'server.port': port, 'url.scheme': parsed.protocol.replace(/:$/, '') };
  } catch {
    return {};
  }
}

export function tracedExchange<T extends Outcome>(
  tracing: Tracing,
  request: { readonly method?: string; readonly url: string },
  exchange: () => Promise<T>,
): Promise<T> {
  const method = request.method ?? 'GET';
  const attributes = { 'http.request.method': method, ...serverOf(request.url) };
  return inSpan(tracing, method, { kind: 'client', attributes }, async (span) => {
    const result = await exchange();
    if (result.status !== undefined) span.setAttributes({ 'http.response.status_code': result.status });
    if (result.address !== undefined) span.setAttributes({ 'network.peer.address': result.address });
    if (result.status !== undefined && result.status >= 400) span.fail(String(result.status));
    else if (result.status === undefined && result.kind !== 'response' && result.kind !== 'downloaded') span.fail(result.kind);
    return result;
  });
}
