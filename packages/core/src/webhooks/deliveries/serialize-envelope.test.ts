import { describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../events/index.js';
import { serializeEnvelope } from './serialize-envelope.js';

describe('serializeEnvelope', () => {
  it('writes the keys in the contract order whatever order the object was built in', () => {
    const scrambled = {
      data: { text: 'hi' },
      occurred_at: '2026-05-01T12:34:56.000Z',
      instance_id: 'inst_1',
      api_version: '2026-04',
      event_id: 'evt_1',
      event: 'message.received',
    } satisfies EventEnvelope;
    expect(serializeEnvelope(scrambled)).toBe(
      '{"event":"message.received","event_id":"evt_1","api_version":"2026-04","instance_id":"inst_1",' +
        '"occurred_at":"2026-05-01T12:34:56.000Z","data":{"text":"hi"}}',
    );
  });

  it('serialises a null instance and nested data faithfully, without whitespace', () => {
    const body = serializeEnvelope({
      event: 'webhook.test',
      event_id: 'evt_2',
      api_version: '2026-04',
      instance_id: null,
      occurred_at: '2026-05-01T00:00:00.000Z',
      data: { nested: { list: [1, 'two', null] }, emoji: 'héllo 👋' },
    });
    expect(body).not.toMatch(/\s"/);
    expect(JSON.parse(body)).toEqual({
      event: 'webhook.test',
      event_id: 'evt_2',
      api_version: '2026-04',
      instance_id: null,
      occurred_at: '2026-05-01T00:00:00.000Z',
      data: { nested: { list: [1, 'two', null] }, emoji: 'héllo 👋' },
    });
  });

  it('drops members that are not part of the envelope', () => {
    const withExtra = {
      event: 'message.read',
      event_id: 'evt_3',
      api_version: '2026-04',
      instance_id: 'inst_1',
      occurred_at: '2026-05-01T00:00:00.000Z',
      data: {},
      customerId: 'cust_secret',
    } as EventEnvelope;
    expect(serializeEnvelope(withExtra)).not.toContain('cust_secret');
  });
});
