import { createFakeClock } from '@whatisup/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './support/build-test-app.js';

describe('query input that is ambiguous or unknown', () => {
  let subject: TestApp<{ clock: ReturnType<typeof createFakeClock>; messages: true; webhooks: true }>;
  let auth: Record<string, string>;
  afterEach(async () => subject.close());

  async function start() {
    subject = await buildTestApp({ clock: createFakeClock(), messages: true, webhooks: true });
    ({ auth } = await subject.newCustomer());
  }
  const get = (url: string) => subject.app.inject({ method: 'GET', url, headers: auth });

  async function expectInvalid(url: string, path: string, message?: RegExp) {
    const response = await get(url);
    expect(response.statusCode, url).toBe(400);
    const body = response.json();
    expect(body.error.code, url).toBe('invalid_input');
    expect(body.error.details.issues[0], url).toMatchObject({ in: 'query', path });
    if (message) expect(body.error.details.issues[0].message, url).toMatch(message);
  }

  it('refuses a limit written as an exponent, in hex, signed or padded', async () => {
    await start();
    for (const limit of ['1e2', '0x10', '+5', '%205', '1.0', '0010']) await expectInvalid(`/v1/instances?limit=${limit}`, 'limit');
    expect((await get('/v1/instances?limit=100')).statusCode).toBe(200);
  });

  it('refuses a filter given in array form or more than once instead of ignoring it', async () => {
    await start();
    await expectInvalid('/v1/messages?instance_id[]=inst_x', 'instance_id[]', /instance_id=/);
    await expectInvalid('/v1/messages?instance_id=a&instance_id=b', 'instance_id', /2 times/);
    await expectInvalid('/v1/audit-events?instance_id=a&instance_id=b', 'instance_id');
    await expectInvalid('/v1/webhook-deliveries?status=failed&status=success', 'status');
  });

  it('refuses an unknown query parameter, naming it', async () => {
    await start();
    await expectInvalid('/v1/messages?instance=inst_x', 'instance', /unknown query parameter "instance"/);
    await expectInvalid('/v1/instances?foo=1', 'foo', /unknown query parameter "foo"/);
  });

  it('refuses an unknown filter value and a malformed cursor', async () => {
    await start();
    await expectInvalid('/v1/messages?status=bogus', 'status');
    await expectInvalid('/v1/webhook-deliveries?event=message.nope', 'event');
    await expectInvalid('/v1/instances?cursor=garbage', 'cursor', /next_cursor/);
    expect((await get('/v1/instances?cursor=inst_01JABCDEFGHJKMNPQRSTVWXYZ0')).statusCode).toBe(200);
  });
});
