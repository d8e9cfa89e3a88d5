/*
 * `pnpm start` on a machine with no PostgreSQL and no Redis (docs/decisions/0014-embedded-default.md),
 * forced with DATABASE_URL=embedded and REDIS_URL=in-process so it is exercised where servers run too: the
 * real server process starts PostgreSQL under DATA_DIR, says so in one loud line without the password,
 * serves the whole API (a sandbox message's `message.sent` arrives signed at a loopback receiver through
 * the in-process queue and host gate), and on SIGTERM exits 0 leaving no postgres process behind.
 * Production refuses the keywords before starting anything.
 *
 * The README's "Five minutes with the sandbox" is followed here too, read from README.md itself
 * (support/readme-walkthrough.ts): its `node -e` receiver run as written, its curl requests sent as written,
 * waiting on events where it sleeps, in development with no WEBHOOK_ALLOW_CIDRS (loopback is allowed by
 * default there), and its signature check recomputed from the files the receiver wrote.
 */
import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient, type ApiClient } from './support/api-client.js';
import { bootstrapKeyOf } from './support/bootstrap-key.js';
import { eventsOfMessage } from './support/message-events.js';
import { connectSandboxInstance } from './support/message-sandbox-instance.js';
import { infraRequired } from './support/infra-required.js';
import { runCli, startServer, testEnv, type ServerProcess } from './support/processes.js';
import { startReadmeReceiver, type ReadmeReceiver } from './support/readme-receiver.js';
import { expand, readReadmeWalkthrough } from './support/readme-walkthrough.js';
import { envelopeOf, openEventStream, type SseStream } from './support/sse-reader.js';
import { freePort, until } from '@whatisup/test-infra';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver.js';

const env = testEnv('embedded', 'in-process', { NODE_ENV: 'development', SANDBOX_AUTO_SCAN_MS: '50', MESSAGE_MIN_GAP_MS: '0' });
const postgresDir = path.join(env.DATA_DIR!, 'postgres');
let receiver: WebhookReceiver;
let server: ServerProcess | undefined;
let api: ApiClient;
let postmasterPid: number;
let key: string;

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  server = await startServer(env);
  key = await bootstrapKeyOf(server);
  api = createApiClient(server.url, key);
  postmasterPid = Number(readFileSync(path.join(postgresDir, 'pgdata', 'postmaster.pid'), 'utf8').split('\n')[0]);
}, 60_000);

afterAll(async () => {
  await server?.stop('SIGKILL');
  if (postmasterPid && isAlive(postmasterPid)) process.kill(postmasterPid, 'SIGQUIT');
  await receiver?.close();
  await rm(env.DATA_DIR!, { recursive: true, force: true });
});

describe('the server with DATABASE_URL=embedded and REDIS_URL=in-process', () => {
  it('says loudly what is embedded and where the data lives, never the password', () => {
    const lines = server!
      .output()
      .split('\n')
      .filter((line) => line.includes('EMBEDDED MODE'))
      .map((line) => JSON.parse(line) as { level: number; msg: string });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.level).toBe(40);
    expect(lines[0]!.msg).toContain(`with its data in ${postgresDir}`);
    expect(lines[0]!.msg).toContain('job queue, host gate and rate limiter in this process (REDIS_URL=in-process)');
    const password = readFileSync(path.join(postgresDir, 'password'), 'utf8').trim();
    expect(password.length).toBeGreaterThan(8);
    expect(server!.output()).not.toContain(password);
    expect(server!.output()).not.toContain(encodeURIComponent(password));
    // Its own readiness probe's refusals while PostgreSQL starts are not warnings for a first-time reader.
    expect(server!.output()).not.toContain('the database system is starting up');
  });

  it('reports redis as in-process in /readyz', async () => {
    const ready = await api.get<{ status: string; checks: Record<string, unknown> }>('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toMatchObject({ postgres: true, redis: 'in-process' });
  });

  it('counts the in-process queues in /metrics, as it would BullMQ', async () => {
    const text = await (await fetch(`${server!.url}/metrics`)).text();
    for (const queue of ['webhook-deliveries', 'message-outbox']) {
      expect(text).toMatch(new RegExp(`^whatisup_queue_jobs\\{queue="${queue}",state="waiting"\\} \\d+$`, 'm'));
    }
    expect(text).toMatch(/^whatisup_scrape_source_up\{source="queue_message_outbox"\} 1$/m);
  });

  it('sends a sandbox message and delivers its signed message.sent to a loopback receiver', async () => {
    const endpoint = await api.post<{ signing_secret: string }>('/v1/webhook-endpoints', {
      url: `${receiver.url}/events`,
      events: ['message.sent'],
    });
    expect(endpoint.status, JSON.stringify(endpoint.body)).toBe(201);
    const instanceId = await connectSandboxInstance(api, 'embedded');
    const accepted = await api.post<{ message_id: string }>(`/v1/instances/${instanceId}/messages`, {
      to: '4915112345678',
      body: { type: 'text', text: 'Hello from embedded mode' },
    });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
    const messageId = accepted.body.message_id;

    await receiver.waitFor((all) => eventsOfMessage(all, messageId).length > 0, `message.sent for ${messageId}`);
    const request = receiver.received.find((r) => r.body.includes(messageId))!;
    const envelope = new Webhook(endpoint.body.signing_secret).verify(request.body, request.headers as Record<string, string>);
    expect(envelope).toMatchObject({ event: 'message.sent', instance_id: instanceId, data: { message_id: messageId } });
  });

  describe("the README's five minutes with the sandbox", () => {
    let receiver: ReadmeReceiver | undefined;
    let stream: SseStream | undefined;
    const vars: Record<string, string> = {};
    afterAll(async () => {
      await stream?.close();
      await receiver?.close();
    });

    it('reads the requests the README shows, in its order', async () => {
      const walk = readReadmeWalkthrough(await freePort());
      expect(walk.requests.map((request) => `${request.method} ${request.url}`)).toEqual([
        'POST $API/v1/instances',
        'POST $API/v1/webhook-endpoints',
        'GET $API/v1/events?instance_id=$INSTANCE',
        'POST $API/v1/instances/$INSTANCE/connect',
        'GET $API/v1/instances/$INSTANCE',
        'POST $API/v1/instances/$INSTANCE/messages',
        'POST $API/v1/instances/$INSTANCE/sandbox/inbound',
      ]);
    });

    it('reaches its local receiver with message.sent, delivered, read and received, and streams them', async () => {
      const port = await freePort();
      const walk = readReadmeWalkthrough(port);
      receiver = await startReadmeReceiver(walk.receiverCommand, port);
      Object.assign(vars, { API: server!.url, KEY: key });
      // The README's endpoint takes every `message.*` event of the customer: let the earlier test's message
      // reach its last receipt first, so that only the walk-through's own events arrive at this receiver.
      await until(async () => (await api.get<{ data: Array<{ status: string }> }>('/v1/messages')).body.data.every((m) => m.status === 'read'), {
        timeoutMs: 15_000,
        intervalMs: 100,
        message: 'the earlier message never reached read',
      });
      const answers: Array<{ status: number; body: Record<string, unknown> }> = [];

      for (const request of walk.requests) {
        const url = expand(request.url, vars);
        const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, expand(value, vars)]));
        if (request.stream) {
          stream = await openEventStream(url, headers);
          expect(stream.status, request.source).toBe(200);
          continue;
        }
        if (request.comment !== null) {
          // The README sleeps before this one; waiting for what it waits for is faster and never flaky.
          await stream!.waitFor((event) => event.event === 'instance.connected', 'instance.connected');
        }
        const response = await fetch(url, { method: request.method, headers, ...(request.body === null ? {} : { body: request.body }) });
        const body = (await response.json()) as Record<string, unknown>;
        expect(response.status, `${request.source}\n${JSON.stringify(body)}`).toBeLessThan(300);
        answers.push({ status: response.status, body });
        if (request.assigns !== null) vars[request.assigns] = String(body[request.field!]);
        if (request.comment !== null) expect(body[request.field!], request.source).toBe(request.comment);
      }

      expect(vars.INSTANCE).toMatch(/^inst_/);
      expect(vars.SECRET).toMatch(/^whsec_/);
      const sent = answers.find((answer) => answer.status === 202 && typeof answer.body.message_id === 'string');
      expect(sent?.body).toMatchObject({ message_id: expect.stringMatching(/^msg_/), status: 'queued' });
      const messageId = sent!.body.message_id as string;

      const arrived = (name: string, envelopes: Array<{ event: string; data: Record<string, unknown> }>) =>
        envelopes.some((e) => e.event === name && (name === 'message.received' || e.data.message_id === messageId));
      const expected = ['message.sent', 'message.delivered', 'message.read', 'message.received'];
      await receiver.waitFor((envelopes) => expected.every((name) => arrived(name, envelopes)), expected.join(', '));
      for (const name of ['qr.updated', 'instance.connected', ...expected]) {
        const event = await stream!.waitFor((e) => e.event === name, name);
        expect(envelopeOf(event).instance_id).toBe(vars.INSTANCE);
      }
    });

    it('signs the last delivery as the README says: HMAC-SHA256 of "<t>.<body>" keyed with the decoded secret', async () => {
      const secret = Buffer.from(vars.SECRET!.slice('whsec_'.length), 'base64');
      const lastBody = receiver!.printed().at(-1)!.body;
      const read = (name: string) => {
        try {
          return readFileSync(path.join(receiver!.dir, name), 'utf8');
        } catch {
          return '';
        }
      };
      // The receiver prints a delivery before it writes the two files, one after the other: wait until they
      // hold the last delivery. A signature scheme other than the README's never matches, and this times out.
      let seen = '';
      await until(
        () => {
          const [signature, body] = [read('last-webhook.sig'), read('last-webhook.json')];
          const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(signature);
          const digest = match && createHmac('sha256', secret).update(`${match[1]}.${body}`).digest('hex');
          seen = `signature ${signature}, recomputed v1=${digest}, body ${body === lastBody ? 'the last one printed' : body}`;
          return body === lastBody && match !== null && digest === match[2];
        },
        { timeoutMs: 5_000, intervalMs: 20, message: () => `the receiver's files never held a signature the README's recipe checks: ${seen}` },
      );
    });

    const tools = ['openssl', 'xxd', 'base64', 'sed'].filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);
    if (tools.length > 0) {
      const reason = `the README's signature check needs ${tools.join(', ')}, which this machine lacks`;
      if (infraRequired(process.env)) throw new Error(`${reason}; CI and TEST_REQUIRE_INFRA=1 require them`);
      console.warn(`Skipping the run of the README's signature check: ${reason}.`);
    }
    // Skips only where the README's shell tools are missing (the reason is printed above); CI machines have them.
    it.skipIf(tools.length > 0)("prints the v1 digest from the README's own shell check", () => {
      const result = spawnSync('bash', ['-c', readReadmeWalkthrough(0).verifyScript], {
        cwd: receiver!.dir,
        env: { PATH: process.env.PATH, SECRET: vars.SECRET },
        encoding: 'utf8',
      });
      expect(result.status, result.stderr).toBe(0);
      const lines = result.stdout.trim().split('\n');
      const v1 = /v1=([0-9a-f]{64})/.exec(lines[0]!)?.[1];
      expect(v1, result.stdout).toBeDefined();
      expect(lines.at(-1)!.split(/\s+/).at(-1)).toBe(v1);
    });
  });

  it('exits 0 on SIGTERM and leaves no postgres process behind', async () => {
    expect(isAlive(postmasterPid)).toBe(true);
    const stopped = server!;
    const outputOfStopped = () => stopped.output();
    const code = await stopped.stop('SIGTERM');
    server = undefined;
    expect(code).toBe(0);
    // Postgres stops last: nothing still using it failed while stopping.
    expect(outputOfStopped()).not.toContain('error while stopping');
    await until(() => !isAlive(postmasterPid), { timeoutMs: 5_000, message: () => `postgres ${postmasterPid} still runs` });
  });

  it('starts again on the same data and stops cleanly on a SIGTERM sent as soon as it listens', async () => {
    const again = await startServer(env);
    server = again;
    postmasterPid = Number(readFileSync(path.join(postgresDir, 'pgdata', 'postmaster.pid'), 'utf8').split('\n')[0]);
    const code = await again.stop('SIGTERM');
    server = undefined;
    expect(code, again.output().slice(-2000)).toBe(0);
    await until(() => !isAlive(postmasterPid), { timeoutMs: 5_000, message: () => `postgres ${postmasterPid} still runs` });
  }, 40_000);
});

describe('NODE_ENV=production with DATABASE_URL=embedded', () => {
  it('exits 78 naming the variable, before starting anything', async () => {
    const production = testEnv('embedded', 'redis://127.0.0.1:6379', { NODE_ENV: 'production' });
    const result = await runCli([], production, 'src/main.ts');
    expect(result.code).toBe(78);
    expect(result.stderr).toMatch(/DATABASE_URL=embedded .*production needs a PostgreSQL URL/);
    await expect(stat(path.join(production.DATA_DIR!, 'postgres'))).rejects.toThrow(/ENOENT/);
    await rm(production.DATA_DIR!, { recursive: true, force: true });
  });
});
