/*
 * With the real server process and a sandbox instance, over HTTP only: a poll is sent, two people vote on it
 * (injected through the sandbox), and the webhook gets `poll.vote` with each voter and their options by text;
 * a reaction arrives as `message.reaction` and never as `message.received`; someone's edit and revoke
 * arrive as `message.edited` / `message.revoked` with `from_me: false`; a voice note played arrives as
 * `message.played` after `message.read`. The sandbox refuses what its rules forbid in the error envelope.
 */
import { createTestDatabase, uniqueRedisPrefix, type TestDatabase } from '@whatisup/test-infra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient, type ApiClient } from './support/api-client.js';
import { bootstrapKeyOf } from './support/bootstrap-key.js';
import { connectSandboxInstance } from './support/message-sandbox-instance.js';
import { startServer, testEnv, type ServerProcess } from './support/processes.js';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver.js';
import { serverRedisUrl } from './support/redis-for-servers.js';

let database: TestDatabase;
let receiver: WebhookReceiver;
let server: ServerProcess;
let api: ApiClient;
let instanceId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  receiver = await startWebhookReceiver();
  server = await startServer(
    testEnv(database.url, serverRedisUrl(), {
      REDIS_PREFIX: uniqueRedisPrefix('conversation-inbound'),
      WEBHOOK_ALLOW_CIDRS: '127.0.0.1/32',
      SANDBOX_AUTO_SCAN_MS: '50',
      SANDBOX_RECEIPT_DELAY_MS: '60000',
      MESSAGE_MIN_GAP_MS: '0',
    }),
  );
  api = createApiClient(server.url, await bootstrapKeyOf(server));
  const endpoint = await api.post('/v1/webhook-endpoints', {
    url: `${receiver.url}/events`,
    events: ['message.*', 'poll.vote'],
  });
  expect(endpoint.status, JSON.stringify(endpoint.body)).toBe(201);
  instanceId = await connectSandboxInstance(api, 'conversation-inbound');
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await receiver?.close();
  await database?.drop();
});

type Envelope = { event: string; data: Record<string, any> };
const envelopes = () => receiver.received.map((r) => JSON.parse(r.body) as Envelope);
const inject = (from: string, body: object, sender?: string) =>
  api.post<{ message_id: string; from: string; chat_id: string; received_at: string }>(`/v1/instances/${instanceId}/sandbox/inbound`, {
    from,
    body,
    ...(sender !== undefined && { sender }),
  });

async function send(body: object): Promise<{ id: string; whatsappId: string }> {
  const sent = await api.post<{ message_id: string }>(`/v1/instances/${instanceId}/messages`, { to: '4915112345678', body });
  expect(sent.status, JSON.stringify(sent.body)).toBe(202);
  const id = sent.body.message_id;
  await receiver.waitFor(() => envelopes().some((e) => e.event === 'message.sent' && e.data.message_id === id), `message.sent of ${id}`);
  return { id, whatsappId: envelopes().find((e) => e.event === 'message.sent' && e.data.message_id === id)!.data.whatsapp_id };
}

describe('the inbound side of conversations', () => {
  it('reports two votes on our poll as poll.vote with each voter and their options', async () => {
    const poll = await send({ type: 'poll', question: 'When?', options: ['Monday', 'Tuesday', 'Friday'], selectable_count: 2 });
    const first = await inject('4915112345678', { type: 'poll_vote', message_id: poll.id, options: ['Tuesday', 'Friday'] });
    const second = await inject('4915112345679', { type: 'poll_vote', message_id: poll.whatsappId, options: ['Monday'] });
    expect([first.status, second.status]).toEqual([201, 201]);
    await receiver.waitFor(() => envelopes().filter((e) => e.event === 'poll.vote').length === 2, 'two poll.vote');
    const votes = envelopes().filter((e) => e.event === 'poll.vote').map((e) => e.data);
    expect(votes).toEqual([
      {
        message_id: poll.id,
        whatsapp_id: poll.whatsappId,
        chat_id: '4915112345678@s.whatsapp.net',
        is_group: false,
        from_me: false,
        voter: { phone_number: '4915112345678', lid: '8765432115194@lid' },
        selected_options: ['Tuesday', 'Friday'],
        voted_at: first.body.received_at,
      },
      expect.objectContaining({
        message_id: poll.id,
        chat_id: '4915112345679@s.whatsapp.net',
        voter: { phone_number: '4915112345679', lid: '9765432115194@lid' },
        selected_options: ['Monday'],
      }),
    ]);
  });

  it('reports a reaction as message.reaction, not message.received', async () => {
    const text = await send({ type: 'text', text: 'Lunch at noon?' });
    const reaction = await inject('4915112345678', { type: 'reaction', message_id: text.id, emoji: '👍' });
    expect(reaction.status, JSON.stringify(reaction.body)).toBe(201);
    await receiver.waitFor(() => envelopes().some((e) => e.event === 'message.reaction'), 'message.reaction');
    expect(envelopes().find((e) => e.event === 'message.reaction')!.data).toMatchObject({
      message_id: text.id,
      whatsapp_id: text.whatsappId,
      reaction_id: reaction.body.message_id,
      emoji: '👍',
      from_me: false,
      target_from_me: true,
      author: { phone_number: '4915112345678', lid: '8765432115194@lid' },
    });
    expect(envelopes().filter((e) => e.event === 'message.received' && e.data.body?.type === 'reaction')).toEqual([]);
  });

  it("reports someone's edit and revoke with from_me false, and a played voice note after it was read", async () => {
    const received = await inject('4915112345678', { type: 'text', text: 'see you at 7' });
    expect(received.status).toBe(201);
    const theirs = received.body.message_id;
    expect((await inject('4915112345678', { type: 'edit', message_id: theirs, text: 'see you at 8' })).status).toBe(201);
    expect((await inject('4915112345678', { type: 'revoke', message_id: theirs })).status).toBe(201);
    await receiver.waitFor(() => envelopes().some((e) => e.event === 'message.revoked'), 'message.revoked');
    expect(envelopes().find((e) => e.event === 'message.edited')!.data).toMatchObject({
      message_id: null,
      whatsapp_id: theirs,
      from_me: false,
      text: 'see you at 8',
      author: { phone_number: '4915112345678', lid: '8765432115194@lid' },
    });
    expect(envelopes().find((e) => e.event === 'message.revoked')!.data).toMatchObject({ message_id: null, whatsapp_id: theirs, from_me: false });

    const note = await send({ type: 'audio', media_base64: Buffer.from('OggS').toString('base64'), mime_type: 'audio/ogg', ptt: true });
    expect((await inject('4915112345678', { type: 'played', message_id: note.id })).status).toBe(201);
    const mine = () => envelopes().filter((e) => e.data.message_id === note.id).map((e) => e.event);
    // Deliveries run side by side, so the read and played events of one receipt can arrive in either order.
    await receiver.waitFor(() => mine().includes('message.read') && mine().includes('message.played'), 'message.read and message.played');
    expect(mine().sort()).toEqual(['message.played', 'message.read', 'message.sent']);
  });

  it('refuses what the sandbox rules forbid, in the error envelope', async () => {
    const text = await send({ type: 'text', text: 'not a poll' });
    const answers = [
      await inject('4915112345678', { type: 'poll_vote', message_id: text.id, options: [] }),
      await inject('4915112345678', { type: 'poll_vote', message_id: 'msg_01JB0000000000000000000000', options: [] }),
      await inject('4915112345678', { type: 'edit', message_id: text.id, text: 'mine?' }),
      await inject('4915112345678', { type: 'played', message_id: text.whatsappId }),
      await inject('4915112345678', { type: 'poll_vote', message_id: text.id, options: 'Monday' }),
    ];
    expect(answers.map((a) => [a.status, (a.body as unknown as { error: { code: string } }).error.code])).toEqual([
      [409, 'conflict'],
      [404, 'not_found'],
      [409, 'conflict'],
      [409, 'conflict'],
      [400, 'invalid_input'],
    ]);
  });
});
