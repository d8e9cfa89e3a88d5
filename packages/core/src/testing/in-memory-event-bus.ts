import { createInProcessEventBus, type InProcessEventBus } from '../events/index.js';

/**
 * The real in-process bus: it is already pure and synchronous, so tests use it as it is (a throwing
 * subscriber is skipped, never the publisher's problem; recent events are kept for `since`).
 * @deprecated Use `createInProcessEventBus` from `@whatisup/core`; kept so existing importers still work.
 */
export function createInMemoryEventBus(): InProcessEventBus {
  return createInProcessEventBus();
}
