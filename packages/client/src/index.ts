export { WhatIsUpClient, type WhatIsUpClientOptions } from './whatisup-client.js';
export type { TransportOptions, CallOptions } from './http/transport.js';
export {
  WhatIsUpError,
  WhatIsUpConnectionError,
  WhatIsUpTimeoutError,
  isWhatIsUpError,
  type WhatIsUpErrorCode,
  type HttpErrorCode,
  type ClientErrorCode,
} from './errors/whatisup-error.js';
export { Paginated } from './pagination/paginated.js';
export {
  EventStream,
  RESUME_WINDOW_EXCEEDED,
  type EventStreamOptions,
  type ResumeWindowExceeded,
  type StreamItem,
} from './events/event-stream.js';
export { createSseParser, type SseMessage, type SseParser, type SseParserHandlers } from './events/sse-parser.js';
export type { SendOptions, Idempotent } from './http/idempotent-request.js';
export type { SentMessage, AcceptedAction } from './resources/messages.js';
export type { MediaContent } from './resources/media.js';
export type { Health, Readiness, Limits } from './resources/operations.js';
export { ROUTES, type OperationId, type RouteDef } from './routes.js';
export type * from './api-types.js';
