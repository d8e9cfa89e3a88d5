import { signMediaToken } from '@whatisup/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeClock, type FakeClock } from '@whatisup/core/testing';
import type { Tenant, TestApp } from './support/build-test-app.js';
import { buildTestAppWithTenant } from './support/build-test-app-with-tenant.js';
import { MEDIA_TTL_MS } from './support/message-test-feature.js';

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);

describe('GET /v1/media/:token', () => {
  let subject: TestApp<{ clock: FakeClock; messages: true }>;
  let tenant: Tenant;
  beforeEach(async () => {
    ({ subject, tenant } = await buildTestAppWithTenant({ clock: createFakeClock(), messages: { mediaMaxBytes: 64 } }));
  });
  afterEach(async () => subject.app.close());

  const fetchMedia = (token: string, who: Tenant | null = tenant) =>
    subject.app.inject({ method: 'GET', url: `/v1/media/${token}`, headers: who === null ? {} : who.auth });

  it('serves the bytes with their content type, privately cached and never sniffed', async () => {
    const token = await subject.storeMedia(tenant.customerId, JPEG, 'image/jpeg');
    expect(token.length).toBeGreaterThan(100);
    const response = await fetchMedia(token);
    expect(response.statusCode).toBe(200);
    expect(response.rawPayload).toEqual(JPEG);
    expect(response.headers).toMatchObject({
      'content-type': 'image/jpeg',
      'content-length': String(JPEG.length),
      'cache-control': 'private',
      'x-content-type-options': 'nosniff',
    });
    expect(response.headers['content-security-policy']).toContain('sandbox');
    expect(response.headers['content-disposition']).toBeUndefined();
    expect(subject.logs().filter((line) => (line.level as number) >= 40)).toEqual([]);
  });

  it('names the file in Content-Disposition when the sender gave a name, safely quoted', async () => {
    const token = await subject.storeMedia(tenant.customerId, Buffer.from('%PDF-1.7'), 'application/pdf', 'Rechnung "Mai" ä.pdf');
    const response = await fetchMedia(token);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="Rechnung _Mai_ _.pdf"; filename*=UTF-8''Rechnung%20%22Mai%22%20%C3%A4.pdf`,
    );
  });

  it('answers 410 media_expired once the URL expired', async () => {
    const token = await subject.storeMedia(tenant.customerId, JPEG, 'image/jpeg');
    subject.clock.advance(MEDIA_TTL_MS);
    const response = await fetchMedia(token);
    expect(response.statusCode).toBe(410);
    expect(response.json().error).toMatchObject({ code: 'media_expired', details: { expired_at: expect.any(String) } });
  });

  it('answers 410 media_expired when the bytes were evicted from the bounded cache', async () => {
    const first = await subject.storeMedia(tenant.customerId, Buffer.alloc(40, 1), 'image/jpeg');
    const second = await subject.storeMedia(tenant.customerId, Buffer.alloc(40, 2), 'image/jpeg');
    expect((await fetchMedia(first)).statusCode).toBe(410);
    expect((await fetchMedia(second)).statusCode).toBe(200);
  });

  it("answers 404 for a malformed or forged token and for another customer's token", async () => {
    const token = await subject.storeMedia(tenant.customerId, JPEG, 'image/jpeg');
    const stranger = await subject.newCustomer('Stranger');
    const [payload] = token.split('.');
    const forged = signMediaToken(Buffer.alloc(32, 7), { customerId: tenant.customerId, instanceId: 'inst_x', mediaId: 'med_x', expiresAt: new Date(Date.now() + 60_000) });
    for (const [name, attempt] of [
      ['garbage', 'not-a-token'],
      ['truncated', payload!],
      ['wrong key', forged],
      ['nested path', `${token}/x`],
    ] as const) {
      const response = await fetchMedia(attempt);
      expect(response.statusCode, name).toBe(404);
      expect(response.json().error.code, name).toBe('not_found');
    }
    const theirs = await fetchMedia(token, stranger);
    expect(theirs.statusCode).toBe(404);
    expect(theirs.body).not.toContain(tenant.customerId);
  });

  it('needs the API key: the URL alone opens nothing', async () => {
    const token = await subject.storeMedia(tenant.customerId, JPEG, 'image/jpeg');
    const response = await fetchMedia(token, null);
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe('unauthenticated');
  });
});
