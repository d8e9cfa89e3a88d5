import { createRecordingTracing } from '@whatisup/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUndiciOutboundHttp } from '../src/index.js';
import { startReceiver, type LoopbackReceiver } from './support/loopback-receiver.js';

let receiver: LoopbackReceiver;

beforeAll(async () => {
  receiver = await startReceiver((request, response) => {
    response.writeHead(request.url?.startsWith('/fail') ? 503 : 200).end('ok');
  });
});

afterAll(async () => receiver.close());

describe('client spans', () => {
  it('make each request a child span with the method, host and status, never the path or query', async () => {
    const tracing = createRecordingTracing();
    const http = createUndiciOutboundHttp({ requireHttps: false, allowCidrs: ['127.0.0.1/32'], tracing });
    const parent = tracing.startSpan('process webhook-deliveries', { kind: 'consumer' });
    await parent.run(async () => {
      await http.send({ method: 'POST', url: `${receiver.origin}/hooks/T000/secret-path?token=secret-query`, body: '{}' });
      await http.send({ method: 'POST', url: `${receiver.origin}/fail`, body: '{}' });
    });
    parent.end();
    await http.send({ method: 'POST', url: 'http://10.0.0.1/private', body: '{}' });

    const [, ok, failed, refused] = tracing.spans;
    const port = Number(new URL(receiver.origin).port);
    expect(ok).toMatchObject({ name: 'POST', kind: 'client', parentSpanId: tracing.spans[0]!.spanId, error: null, ended: true });
    expect(ok!.attributes).toEqual({
      'http.request.method': 'POST',
      'server.address': '127.0.0.1',
      'server.port': port,
      'url.scheme': 'http',
      'http.response.status_code': 200,
      'network.peer.address': '127.0.0.1',
    });
    expect(failed).toMatchObject({ error: '503', ended: true });
    expect(refused).toMatchObject({ error: 'unsafe_url', ended: true, parentSpanId: null });
    expect(JSON.stringify(tracing.spans)).not.toMatch(/secret-path|secret-query/);
  });
});
