import type { ChatRepositories } from './chats/index.js';
import type { ContactRepositories } from './contacts/index.js';
import type { GroupRepositories } from './groups/index.js';
import type { MessageRepositories } from './messages/index.js';
import type { InstanceSettingsRepositories } from './settings/index.js';
import type { UnitOfWork as UnitOfWorkOver } from './shared/index.js';
import type { TenancyRepositories } from './tenancy/index.js';
import type { WebhookRepositories } from './webhooks/index.js';

/** Every repository, bound to one connection or transaction: what a persistence adapter implements. */
export interface Repositories extends TenancyRepositories, WebhookRepositories, MessageRepositories, ContactRepositories,
    InstanceSettingsRepositories, GroupRepositories, ChatRepositories {}

/** A unit of work over `R`, by default every repository (what a persistence adapter provides). */
export type UnitOfWork<R extends object = Repositories> = UnitOfWorkOver<R>;
