/*
 * The five-minute walk-through with the typed client: a sandbox instance (a simulated phone), paired over the
 * event stream, a webhook endpoint on a local receiver that verifies every delivery's signature, a message
 * sent, and its receipts followed live until it is read.
 *
 *   WHATISUP_URL=http://localhost:3000 WHATISUP_API_KEY=wiu_... pnpm --filter @whatisup/client walkthrough
 *
 * (in this repository; in your own project, with the package installed: `npx tsx walkthrough.ts`).
 * The receiver listens on 127.0.0.1: a development server allows loopback webhook URLs (elsewhere set
 * WEBHOOK_ALLOW_CIDRS=127.0.0.1/32 on the server). Exits 0 once the message was read and a signed
 * delivery verified, 1 on any failure or after 60 seconds.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WhatIsUpClient } from '@whatisup/client';
import { verifyWebhook } from '@whatisup/client/webhooks';

const baseUrl = process.env.WHATISUP_URL ?? 'http://localhost:3000';
const apiKey = process.env.WHATISUP_API_KEY;
if (apiKey === undefined) throw new Error('Set WHATISUP_API_KEY (the server prints one at its first start).');

const client = new WhatIsUpClient({ baseUrl, apiKey });
const log = (line: string) => process.stdout.write(`${line}\n`);

// 1. A local webhook receiver that checks each delivery's signature before trusting it.
let signingSecret = '';
let verifiedDelivery!: () => void;
const webhookVerified = new Promise<void>((resolve) => (verifiedDelivery = resolve));
const receiver = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', async () => {
    try {
      const event = await verifyWebhook(Buffer.concat(chunks), request.headers, { secret: signingSecret });
      log(`webhook: ${event.event} ${event.event_id}, signature verified`);
      response.writeHead(204).end();
      verifiedDelivery();
    } catch (error) {
      log(`webhook: rejected (${(error as Error).message})`);
      response.writeHead(400).end();
    }
  });
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/whatisup`;

const timeout = setTimeout(() => {
  log('walkthrough: gave up after 60 s');
  process.exit(1);
}, 60_000);

// 2. A sandbox instance: it shows a QR like a real number and scans it itself after a moment.
const instance = await client.instances.create({ name: `walkthrough-${Date.now()}`, kind: 'sandbox' });
log(`instance: ${instance.id} (${instance.status})`);

// 3. A webhook endpoint for its message events. The signing secret is shown only now.
const endpoint = await client.webhookEndpoints.create({ url: receiverUrl, events: ['message.*'], instance_id: instance.id });
signingSecret = endpoint.signing_secret;
log(`webhook endpoint: ${endpoint.id} -> ${endpoint.url}`);

// 4. Follow the instance's events; connect once the stream is open so no event is missed.
let streamOpen!: () => void;
const opened = new Promise<void>((resolve) => (streamOpen = resolve));
const stream = client.events.stream({ instance_id: instance.id, onOpen: () => streamOpen() });
let messageId: string | null = null;

const followed = (async () => {
  for await (const event of stream) {
    switch (event.event) {
      case 'qr.updated':
        log('event: qr.updated (a real phone would scan this QR now)');
        break;
      case 'instance.connected': {
        log(`event: instance.connected as ${event.data.phone_number}`);
        // 5. Send a message: 202 at once, then sent, delivered, read.
        const sent = await client.messages.send(instance.id, { to: '4915112345678', body: { type: 'text', text: 'Hello from WhatIsUp' } });
        messageId = sent.message_id;
        log(`sent: ${sent.message_id} (${sent.status}, Idempotency-Key ${sent.idempotencyKey})`);
        break;
      }
      case 'message.sent':
      case 'message.delivered':
      case 'message.read':
        if (event.data.message_id !== messageId) break;
        log(`event: ${event.event} ${event.data.message_id}`);
        if (event.event === 'message.read') return;
        break;
      default:
        break;
    }
  }
})();

await opened;
await client.instances.connect(instance.id);
await followed;
stream.close();
await webhookVerified;

// 6. Clean up.
await client.webhookEndpoints.delete(endpoint.id);
await client.instances.delete(instance.id);
clearTimeout(timeout);
receiver.close();
log('walkthrough: done');
