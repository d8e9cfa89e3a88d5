import type { ReceivedRequest, ServedAnswer } from '@whatisup/core/testing';
import { describeOutboundHttpContract } from '@whatisup/core/testing';
import { createUndiciOutboundHttp } from '../src/index.js';
import { startReceiver } from './support/loopback-receiver.js';

describeOutboundHttpContract('undici on a loopback server (allow list 127.0.0.1/32)', async () => {
  const routes = new Map<string, { answer: ServedAnswer; received: ReceivedRequest[] }>();
  const receiver = await startReceiver((request, response) => {
    const route = routes.get(request.url ?? '');
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (route === undefined) {
        response.writeHead(404).end();
        return;
      }
      const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, String(value)]));
      route.received.push({ method: request.method ?? '', headers, body: new Uint8Array(Buffer.concat(chunks)) });
      if ('hang' in route.answer) return; // accepted, never answered; close() destroys the socket
      response.writeHead(route.answer.status, route.answer.headers).end(route.answer.body ?? '');
    });
  });
  let served = 0;
  const pathOf = (url: string) => new URL(url).pathname;
  return {
    http: createUndiciOutboundHttp({ requireHttps: false, allowCidrs: ['127.0.0.1/32'] }),
    serve: async (answer) => {
      served += 1;
      const path = `/served-${served}`;
      routes.set(path, { answer, received: [] });
      return `${receiver.origin}${path}`;
    },
    received: (url) => routes.get(pathOf(url))?.received ?? [],
    refusesPrivateAddresses: true,
    cleanup: () => receiver.close(),
  };
});
