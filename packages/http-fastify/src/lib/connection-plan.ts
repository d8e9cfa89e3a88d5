/*
 * The process-wide connection budget, derived from the open-file limit. Every accepted connection costs a
 * descriptor, and so do Postgres and Redis connections, outbound webhook sockets, WhatsApp sockets, session
 * files and logs. If accepting connections uses the last descriptor, the next `connect()` to Postgres fails
 * and every customer is down. So `server.maxConnections` (beyond it Node closes new sockets at once) is set
 * to the limit minus a reserve for everything else, and event streams, which stay open, may take at most
 * three quarters of it so ordinary requests always find room.
 */
import { DEFAULT_STREAM_CAPS, type StreamCaps } from '../sse/stream-slots.js';

export interface ConnectionPlanInput {
  /** The soft RLIMIT_NOFILE (`readOpenFileLimit`). */
  readonly openFileLimit: number;
  /** Descriptors kept for everything but inbound HTTP: database and Redis pools, outbound sockets, files. */
  readonly reservedDescriptors: number;
  /** Operator's cap on open streams in the process; absent or 0: derived. Never above the derived cap. */
  readonly maxStreams?: number | undefined;
  readonly maxStreamsPerKey?: number | undefined;
  readonly maxStreamsPerCustomer?: number | undefined;
}

export interface ConnectionPlan {
  readonly openFileLimit: number;
  readonly reservedDescriptors: number;
  /** `server.maxConnections`: inbound connections beyond it are closed on accept. */
  readonly maxConnections: number;
  readonly streams: StreamCaps;
}

/** Fewest inbound connections the plan allows even under a tiny limit (the server must stay usable). */
const MIN_CONNECTIONS = 16;

export function planConnections(input: ConnectionPlanInput): ConnectionPlan {
  const maxConnections = Math.max(MIN_CONNECTIONS, input.openFileLimit - input.reservedDescriptors);
  const streamCeiling = Math.max(1, Math.floor((maxConnections * 3) / 4));
  const wanted = input.maxStreams === undefined || input.maxStreams === 0 ? streamCeiling : input.maxStreams;
  return {
    openFileLimit: input.openFileLimit,
    reservedDescriptors: input.reservedDescriptors,
    maxConnections,
    streams: {
      total: Math.min(wanted, streamCeiling),
      perKey: input.maxStreamsPerKey ?? DEFAULT_STREAM_CAPS.perKey,
      perCustomer: input.maxStreamsPerCustomer ?? DEFAULT_STREAM_CAPS.perCustomer,
    },
  };
}
