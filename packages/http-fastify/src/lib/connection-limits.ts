import type { ConnectionPlan } from './connection-plan.js';
import { createStreamSlots, type StreamSlots } from '../sse/stream-slots.js';

/** A connection plan and the stream slots that enforce its stream caps, shared by the app and the stream route. */
export interface ConnectionLimits {
  readonly plan: ConnectionPlan;
  readonly streams: StreamSlots;
  /** What `/readyz` shows under `details.connections`. */
  describe(): Record<string, number>;
}

export function createConnectionLimits(plan: ConnectionPlan): ConnectionLimits {
  const streams = createStreamSlots(plan.streams);
  return {
    plan,
    streams,
    describe: () => ({
      open_file_limit: plan.openFileLimit,
      reserved_descriptors: plan.reservedDescriptors,
      max_connections: plan.maxConnections,
      max_streams: plan.streams.total,
      max_streams_per_customer: plan.streams.perCustomer,
      max_streams_per_key: plan.streams.perKey,
      open_streams: streams.open(),
    }),
  };
}
