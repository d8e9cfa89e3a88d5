/*
 * @whatisup/core: the domain, its ports and its use cases, one folder per feature. Each feature is also a
 * subpath export (`@whatisup/core/messages`, ...); this root re-exports them all.
 */
export * from './shared/index.js';
export * from './tenancy/index.js';
export * from './instances/index.js';
export * from './events/index.js';
export * from './sessions/index.js';
export * from './messages/index.js';
export * from './contacts/index.js';
export * from './chats/index.js';
export * from './webhooks/index.js';
export * from './event-tokens/index.js';
export * from './cluster/index.js';
export * from './credentials/index.js';
export * from './settings/index.js';
export * from './calls/index.js';
export * from './stories/index.js';
export * from './groups/index.js';
export type { Repositories, UnitOfWork } from './repositories.js';
