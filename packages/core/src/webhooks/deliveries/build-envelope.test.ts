import { describe, expect, it } from 'vitest';
import { isId } from '../../shared/index.js';
import { anEventPayload } from '../../testing/event-payload-fixtures.js';
import { buildEnvelope } from './build-envelope.js';

const clock = { now: () => new Date('2026-05-01T12:34:56.789Z') };

describe('buildEnvelope', () => {
  it('wraps a domain event in the contract envelope with the given event id', () => {
    const envelope = buildEnvelope(
      { customerId: 'cust_1', instanceId: 'inst_1', name: 'message.sent', data: anEventPayload('message.sent') },
      { eventId: 'evt_1', clock },
    );
    expect(envelope).toEqual({
      event: 'message.sent',
      event_id: 'evt_1',
      api_version: '2026-04',
      instance_id: 'inst_1',
      occurred_at: '2026-05-01T12:34:56.789Z',
      data: anEventPayload('message.sent'),
    });
  });

  it('keeps the time the event says it occurred rather than the clock', () => {
    const occurredAt = new Date('2026-04-30T08:00:00.000Z');
    const envelope = buildEnvelope(
      { customerId: 'cust_1', instanceId: null, name: 'webhook.test', data: anEventPayload('webhook.test'), occurredAt },
      { eventId: 'evt_1', clock },
    );
    expect(envelope.occurred_at).toBe('2026-04-30T08:00:00.000Z');
    expect(envelope.instance_id).toBeNull();
  });

  it('mints a fresh evt_ id when none is given', () => {
    const event = { customerId: 'cust_1', instanceId: 'inst_1', name: 'qr.updated', data: anEventPayload('qr.updated') } as const;
    const first = buildEnvelope(event, { clock });
    const second = buildEnvelope(event, { clock });
    expect(isId('event', first.event_id)).toBe(true);
    expect(second.event_id).not.toBe(first.event_id);
  });
});
