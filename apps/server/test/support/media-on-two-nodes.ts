/*
 * Two real server nodes on one Postgres and one Redis, one sandbox instance placed on one of them (the
 * owner), and an inbound image injected there: what the media tests need to fetch its URL through the node
 * that does not run the instance.
 */
import { randomBytes } from 'node:crypto';
import { createTestDatabase, uniqueRedisPrefix, until, type TestDatabase } from '@whatisup/test-infra';
import { createApiClient, type ApiClient, type ApiResponse } from './api-client.js';
import { bootstrapKeyOf } from './bootstrap-key.js';
import { nodeIdOf, waitUntilPlaced } from './cluster.js';
import { eventsOf, type EventEnvelope } from './message-events.js';
import { connectSandboxInstance } from './message-sandbox-instance.js';
import { startServer, testEnv, type ServerProcess } from './processes.js';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.js';

export interface MediaNode {
  readonly server: ServerProcess;
  readonly id: string;
  readonly api: ApiClient;
}

export interface MediaCluster {
  readonly database: TestDatabase;
  readonly key: string;
  /** The node that runs the instance's session, where the image arrived. */
  readonly owner: MediaNode;
  /** The node that does not. */
  readonly other: MediaNode;
  readonly instanceId: string;
  /** Injects an image on the instance; resolves with its bytes and the path of its media URL. */
  receiveImage(): Promise<{ readonly bytes: Buffer; readonly path: string }>;
  /** GET of `path` on `node` with the API key. */
  fetchFrom(node: MediaNode, path: string): Promise<Response>;
  close(): Promise<void>;
}

export async function startMediaCluster(redisUrl: string, extraEnv: Record<string, string>): Promise<MediaCluster> {
  const database = await createTestDatabase();
  const receiver: WebhookReceiver = await startWebhookReceiver();
  const servers: ServerProcess[] = [];
  try {
    const env = testEnv(database.url, redisUrl, {
      REDIS_PREFIX: uniqueRedisPrefix('media-nodes'),
      WEBHOOK_ALLOW_CIDRS: '127.0.0.1/32',
      SANDBOX_AUTO_SCAN_MS: '50',
      ...extraEnv,
    });
    const nodes: MediaNode[] = [];
    let key = '';
    for (let i = 0; i < 2; i++) {
      const server = await startServer(env);
      servers.push(server);
      key ||= await bootstrapKeyOf(server);
      nodes.push({ server, id: await nodeIdOf(server), api: createApiClient(server.url, key) });
    }
    const first = nodes[0]!;
    const endpoint = await first.api.post('/v1/webhook-endpoints', { url: `${receiver.url}/events`, events: ['message.received'] });
    if (endpoint.status !== 201) throw new Error(`creating the webhook endpoint answered ${endpoint.status}`);
    const instanceId = await connectSandboxInstance(first.api, 'media-on-two-nodes');
    const [lease] = await waitUntilPlaced(database.url, [instanceId], nodes.map((node) => node.id), 30_000);
    const owner = nodes.find((node) => node.id === lease!.node_id)!;
    const other = nodes.find((node) => node.id !== lease!.node_id)!;

    return {
      database,
      key,
      owner,
      other,
      instanceId,
      async receiveImage() {
        const bytes = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), randomBytes(32 * 1024)]);
        const seen = eventsOf(receiver.received, 'message.received').length;
        // Injected through the owner: the bytes land in the memory of the node that runs the session. A
        // session just placed may still be reconnecting there (409 not_connected): asked again until it is.
        let injected: ApiResponse<{ message_id: string }> | undefined;
        await until(
          async () => {
            injected = await owner.api.post<{ message_id: string }>(`/v1/instances/${instanceId}/sandbox/inbound`, {
              from: '4915112345678',
              body: { type: 'image', media_base64: bytes.toString('base64'), mime_type: 'image/png' },
            });
            if (injected.status !== 201 && injected.status !== 409) throw new Error(`injecting the image answered ${injected.status}: ${JSON.stringify(injected.body)}`);
            return injected.status === 201;
          },
          { timeoutMs: 20_000, intervalMs: 200, message: () => `injecting the image still answers ${JSON.stringify(injected?.body)}` },
        );
        let event: EventEnvelope<{ message_id: string; body: { media_url: string | null; media_error?: string } }> | undefined;
        await until(
          () => {
            event = eventsOf<{ message_id: string; body: { media_url: string | null } }>(receiver.received, 'message.received')
              .slice(seen)
              .find((e) => e.data.message_id === injected!.body.message_id);
            return event !== undefined;
          },
          { timeoutMs: 20_000, intervalMs: 50, message: () => 'message.received never arrived' },
        );
        const url = event!.data.body.media_url;
        if (url === null) throw new Error(`the image has no media URL: ${JSON.stringify(event!.data.body)}`);
        return { bytes, path: new URL(url).pathname };
      },
      fetchFrom: (node, path) => fetch(`${node.server.url}${path}`, { headers: { authorization: `Bearer ${key}` } }),
      async close() {
        await Promise.all(servers.map((server) => server.stop('SIGKILL')));
        await receiver.close();
        await database.drop();
      },
    };
  } catch (error) {
    await Promise.all(servers.map((server) => server.stop('SIGKILL')));
    await receiver.close();
    await database.drop();
    throw error;
  }
}
