import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './support/build-test-app.js';

describe('log hygiene', () => {
  const apps: TestApp[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((subject) => subject.app.close()));
  });

  async function exercise(subject: TestApp) {
    const { key, auth } = await subject.newCustomer();
    await subject.app.inject({ method: 'GET', url: '/v1/instances?token=sekrit-token-value', headers: auth });
    await subject.app.inject({ method: 'GET', url: '/v1/instances', headers: { authorization: `Bearer ${key}x` } });
    await subject.app.inject({ method: 'GET', url: '/v1/media/eyJjIjoic2VrcmV0LW1lZGlh.c2lnbmF0dXJl', headers: auth });
    return key;
  }

  it('never logs the Authorization header or a token query parameter', async () => {
    const subject = await buildTestApp();
    apps.push(subject);
    const key = await exercise(subject);
    const logs = JSON.stringify(subject.logs());
    expect(logs).toContain('/v1/instances?token=[redacted]');
    expect(logs).not.toContain('sekrit-token-value');
    expect(logs).not.toContain(key);
    expect(logs).toContain('/v1/media/[redacted]');
    expect(logs).not.toContain('eyJjIjoic2VrcmV0LW1lZGlh');
    expect(logs).toContain('"request_id":"req_');
  });

  it('applies the same redaction to a logger instance it is given', async () => {
    const lines: string[] = [];
    // A plain pino logger with Fastify's default serializers (which log the raw URL).
    const donor = Fastify({ logger: { level: 'info', stream: { write: (line: string) => void lines.push(line) } } });
    const subject = await buildTestApp({ logger: donor.log });
    apps.push(subject);
    const key = await exercise(subject);
    const logs = lines.join('');
    expect(logs).toContain('/v1/instances?token=[redacted]');
    expect(logs).not.toContain('sekrit-token-value');
    expect(logs).not.toContain(key);
    await donor.close();
  });
});
