/*
 * Real Baileys offline: WA_WEBSOCKET_URL points at a local port nobody listens on,
 * so every connection attempt of a real (kind whatsapp) instance is refused at once (Baileys reports a 408).
 * The instance goes `reconnecting` and retries with a growing backoff (1 s, 2 s, ... ±20 %), the process
 * stays up and serves requests meanwhile, and DELETE ends the retries.
 *
 * How the retries are observed: the Baileys session logs "WhatsApp connection closed" (info, with the
 * instance id) on every closed attempt. After DELETE no new line may appear for longer than the next
 * backoff delay would have been; `whatisup_sessions_live` on /metrics drops to 0.
 */
import { createTestDatabase, freePort, sleep, uniqueRedisPrefix, until, type TestDatabase } from '@whatisup/test-infra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient, type ApiClient } from './support/api-client.js';
import { bootstrapKeyOf } from './support/bootstrap-key.js';
import { startServer, testEnv, type ServerProcess, type TestEnv } from './support/processes.js';
import { serverRedisUrl } from './support/redis-for-servers.js';
import { waitForInstanceStatus, type InstanceJson } from './support/wait-for-instance-status.js';

const CLOSED = 'WhatsApp connection closed';
/** Baileys' first reconnect delays: 1 s, then 2 s, each ±20 % (packages/whatsapp-baileys, DEFAULT backoff). */
const initialBackoffMs = 1_000;

let database: TestDatabase;
let env: TestEnv;
let server: ServerProcess;
let api: ApiClient;
let instance: InstanceJson;

interface LogLine {
  readonly msg?: string;
  readonly instance_id?: string;
  readonly time?: number;
}

/** The server's "connection closed" log lines for the instance, oldest first. */
function closedAttempts(instanceId: string): LogLine[] {
  return server
    .output()
    .split('\n')
    .filter((line) => line.includes(CLOSED) && line.includes(instanceId))
    .map((line) => JSON.parse(line) as LogLine)
    .filter((line) => line.msg === CLOSED && line.instance_id === instanceId);
}

async function sessionsLive(): Promise<number> {
  const response = await fetch(`${server.url}/metrics`);
  expect(response.status).toBe(200);
  const match = /^whatisup_sessions_live(?:\{\})? (\d+)$/m.exec(await response.text());
  expect(match, 'whatisup_sessions_live on /metrics').not.toBeNull();
  return Number(match![1]);
}

beforeAll(async () => {
  database = await createTestDatabase();
  const closedPort = await freePort(); // bound by the OS, then closed again: connections are refused
  env = testEnv(database.url, serverRedisUrl(), {
    REDIS_PREFIX: uniqueRedisPrefix(),
    WA_WEBSOCKET_URL: `ws://127.0.0.1:${closedPort}/ws/chat`,
    LOG_LEVEL: 'info',
  });
  server = await startServer(env);
  const key = await bootstrapKeyOf(server); // printed on the first start against an empty database
  api = createApiClient(() => server.url, key);
}, 90_000);

afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

describe('a real instance whose WhatsApp endpoint refuses connections', () => {
  it('goes reconnecting after connect', async () => {
    const created = await api.post<InstanceJson>('/v1/instances', { name: 'real-phone' });
    expect(created.status).toBe(201);
    expect(created.body.kind).toBe('whatsapp');
    const connect = await api.post<InstanceJson>(`/v1/instances/${created.body.id}/connect`);
    expect(connect.status).toBe(202);
    instance = await waitForInstanceStatus(api, created.body.id, 'reconnecting');
    expect(instance.status_reason).toBe('timed_out');
    expect(closedAttempts(instance.id).length).toBeGreaterThanOrEqual(1);
  });

  it('keeps the process up and answering while it retries', async () => {
    await until(() => closedAttempts(instance.id).length >= 2, {
      timeoutMs: 10_000,
      message: () => `no second attempt was logged:\n${server.output().slice(-2000)}`,
    });
    expect(server.child.exitCode).toBeNull();
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const list = await api.get<{ data: InstanceJson[] }>('/v1/instances');
    expect(list.status).toBe(200);
    expect(list.body.data.map((row) => row.id)).toEqual([instance.id]);
    expect(['reconnecting', 'connecting']).toContain(list.body.data[0]!.status);
    expect(await sessionsLive()).toBe(1);
    expect(server.output()).not.toMatch(/unhandled|uncaught/i);
  });

  it('stops retrying once the instance is deleted', async () => {
    const before = closedAttempts(instance.id).length;
    const deleted = await api.request<{ id: string; deleted_at: string | null }>('DELETE', `/v1/instances/${instance.id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body.deleted_at).not.toBeNull();
    expect(await sessionsLive()).toBe(0);

    // Had the session survived, its next attempt would come within initial·2^(n-1) +20 % after the n-th.
    // A session that is gone emits nothing, so there is no event to wait on: the only proof that no attempt
    // follows is to watch the spawned server for the whole window one would fall in, plus slack for the log.
    const noAttemptWindowMs = initialBackoffMs * 2 ** Math.max(0, before - 1) * 1.2 + 1_000;
    await sleep(noAttemptWindowMs);
    expect(closedAttempts(instance.id).length).toBe(before);
    expect((await api.get(`/v1/instances/${instance.id}`)).status).toBe(404);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('stops on SIGTERM with exit code 0, leaving nothing running', async () => {
    expect(await server.stop('SIGTERM')).toBe(0);
  });
});
