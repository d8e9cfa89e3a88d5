/* Event names, the envelope every event travels in, and the recorder and bus ports. */
export type { EventBus } from './event-bus.js';
export type { EventEnvelope, DomainEvent, DomainEventOf, PublishedEvent } from './event-envelope.js';
export {
  EVENT_PAYLOAD_SCHEMAS,
  MessageStatusPayloadSchema,
  OwnMessageSentPayloadSchema,
  type EventPayloads,
} from './event-payload-schemas.js';
export {
  InboundMessagePayloadSchema,
  PersonPayloadSchema,
  type PersonPayload,
  InboundBodyPayloadSchema,
  MessageReferencePayloadSchema,
  type InboundMessagePayload,
  type InboundBodyPayload,
  type MessageReferencePayload,
} from './inbound-message-payload-schema.js';
export type { WebhookEvent } from './webhook-event.js';
export { ChatPayloadSchema, type ChatPayload } from './chat-payload-schema.js';
export { EVENT_NAMES, API_VERSION, isEventName, type EventName } from './event-names.js';
export type { EventRecorder, EventPreparer, PreparedEvent, EventFanOut, FannedOutDelivery } from './event-recorder.js';
export {
  DEFAULT_RECENT_EVENTS,
  createInProcessEventBus,
  type InProcessEventBus,
  type InProcessEventBusOptions,
} from './in-process-event-bus.js';
export type { EventFeed, OpenedEventFeed } from './event-feed.js';
export {
  DEFAULT_WINDOW_CUSTOMERS,
  DEFAULT_WINDOW_PER_CUSTOMER,
  createInProcessEventFeed,
  type InProcessEventFeed,
  type InProcessEventFeedOptions,
} from './in-process-event-feed.js';
