/* Event names, the envelope every event travels in, and the recorder and bus ports. */
export type { EventBus } from './event-bus.js';
export type { EventEnvelope, DomainEvent, PublishedEvent } from './event-envelope.js';
export { EVENT_NAMES, API_VERSION, isEventName, type EventName } from './event-names.js';
export type { EventRecorder } from './event-recorder.js';
export {
  DEFAULT_RECENT_EVENTS,
  createInProcessEventBus,
  type InProcessEventBus,
  type InProcessEventBusOptions,
} from './in-process-event-bus.js';
