import * as v from 'valibot';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { inboundMessageData } from '../messages/inbound/inbound-event-data.js';
import { anEventPayload } from '../testing/event-payload-fixtures.js';
import type { DomainEvent } from './event-envelope.js';
import { EVENT_NAMES } from './event-names.js';
import { EVENT_PAYLOAD_SCHEMAS } from './event-payload-schemas.js';
import type { WebhookEvent } from './webhook-event.js';

describe('event payload schemas', () => {
  it('describe every event, and the fixtures tests record match them', () => {
    expect(Object.keys(EVENT_PAYLOAD_SCHEMAS).sort()).toEqual([...EVENT_NAMES].sort());
    for (const name of EVENT_NAMES) expect(v.safeParse(EVENT_PAYLOAD_SCHEMAS[name], anEventPayload(name)).issues).toBeUndefined();
  });

  it('accept what the inbound handler emits for a media message and a quoted reaction', () => {
    const base = { messageId: 'W1', from: '4915112345679', chatId: '4915112345679@s.whatsapp.net', isGroup: false, sender: null, pushName: null, receivedAt: new Date(0), fromMe: false };
    const image = inboundMessageData(
      { ...base, body: { type: 'image', media: { mimeType: 'image/png', size: 3, filename: null }, caption: null }, replyTo: null } as never,
      { error: 'too_large' },
    );
    const target = { whatsappId: 'W0', chatId: base.chatId, fromMe: true };
    const reaction = inboundMessageData({ ...base, body: { type: 'reaction', emoji: '👍', target }, replyTo: target } as never);
    for (const data of [image, reaction]) expect(v.safeParse(EVENT_PAYLOAD_SCHEMAS['message.received'], data).issues).toBeUndefined();
  });

  it('type data by event name, so a wrong payload fails the typecheck', () => {
    const event = { event: 'message.failed', data: anEventPayload('message.failed') } as WebhookEvent;
    if (event.event === 'message.failed') expectTypeOf(event.data.error.code).toEqualTypeOf<string>();
    // @ts-expect-error a qr.updated payload needs png_data_url
    const wrong: DomainEvent = { customerId: 'cust_1', instanceId: null, name: 'qr.updated', data: { qr: 'x' } };
    expect(wrong.name).toBe('qr.updated');
  });
});
