/*
 * The client's groups resource against the real server process on a sandbox instance (its groups follow fixed
 * rules, docs/api.md "Sandbox instances"): create with a result per participant, an idempotent retry, read and
 * page, change through the outbox, participants, invites, the picture, join requests played through the sandbox,
 * and the typed errors.
 */
import { until } from '@whatisup/test-infra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WhatIsUpClient, WhatIsUpError } from '../src/index.js';
import { startRealServer, type RealServer } from './support/real-server.js';

let server: RealServer;
let client: WhatIsUpClient;
let instanceId: string;

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

async function thrown(promise: Promise<unknown>): Promise<WhatIsUpError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof WhatIsUpError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  server = await startRealServer('client-groups');
  client = new WhatIsUpClient({ baseUrl: server.url, apiKey: server.apiKey });
  const instance = await client.instances.create({ name: 'groups', kind: 'sandbox' });
  await client.instances.connect(instance.id);
  await until(async () => (await client.instances.get(instance.id)).status === 'connected', { timeoutMs: 20_000, intervalMs: 100 });
  instanceId = instance.id;
}, 90_000);

afterAll(async () => {
  await server?.stop();
});

describe('groups', () => {
  it('creates, reads, changes and leaves a group, with a result per person', async () => {
    const created = await client.groups.create(instanceId, { subject: 'Crew', participants: ['4915112345671', '4915112345673'] }, { idempotencyKey: 'crew-1' });
    expect(created.participants.map((p) => [p.status, p.reason])).toEqual([
      ['added', null],
      ['refused', 'privacy'],
    ]);
    const again = await client.groups.create(instanceId, { subject: 'Crew', participants: ['4915112345671', '4915112345673'] }, { idempotencyKey: 'crew-1' });
    expect([again.group_id, again.replayed]).toEqual([created.group_id, true]);

    const group = await client.groups.get(instanceId, created.group_id);
    expect(group.participants.map((p) => p.role)).toEqual(['superadmin', 'member']);
    expect((await client.groups.list(instanceId).toArray()).map((g) => g.group_id)).toEqual([created.group_id]);

    const promoted = await client.groups.updateParticipants(instanceId, created.group_id, { action: 'promote', participants: ['4915112345671', '4915112345679'] });
    expect(promoted.participants.map((p) => p.status)).toEqual(['promoted', 'refused']);

    const staged = await client.groups.update(instanceId, created.group_id, { subject: 'Crew 2', announce: true });
    expect(staged.action_id).toMatch(/^act_/);
    await until(async () => (await client.groups.get(instanceId, created.group_id)).subject === 'Crew 2', { timeoutMs: 10_000, intervalMs: 100 });

    const invite = await client.groups.invite(instanceId, created.group_id);
    const rotated = await client.groups.rotateInvite(instanceId, created.group_id);
    expect(rotated.invite_code).not.toBe(invite.invite_code);
    await client.groups.setPicture(instanceId, created.group_id, { media_base64: PNG });
    expect((await thrown(client.groups.setPicture(instanceId, created.group_id, { media_base64: Buffer.from('nope').toString('base64') }))).code).toBe('invalid_media');

    await client.instances.sandbox.groupEvent(instanceId, { type: 'join_request', group_id: created.group_id, participant: '4915112345675' });
    expect((await client.groups.joinRequests(instanceId, created.group_id)).data.map((r) => r.phone_number)).toEqual(['4915112345675']);
    const answered = await client.groups.answerJoinRequests(instanceId, created.group_id, { action: 'reject', participants: ['4915112345675'] });
    expect(answered.participants.map((p) => p.status)).toEqual(['rejected']);

    const joined = await client.groups.join(instanceId, { invite: 'https://chat.whatsapp.com/SANDBOXbakers' });
    await client.groups.leave(instanceId, joined.group_id);
    // Leaving is staged in the outbox: the group is gone once the outbox performed it.
    await until(async () => (await client.groups.get(instanceId, joined.group_id).then(() => 200, (error: WhatIsUpError) => error.status)) === 404, {
      timeoutMs: 10_000,
      intervalMs: 100,
    });
    expect((await thrown(client.groups.get(instanceId, '120363000000000000@g.us'))).status).toBe(404);
    expect((await thrown(client.groups.create(instanceId, { subject: 'x', participants: [] }))).status).toBe(400);
  });
});
