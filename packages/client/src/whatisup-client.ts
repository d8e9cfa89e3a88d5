import { createTransport, type TransportOptions } from './http/transport.js';
import { Actions } from './resources/actions.js';
import { ApiKeys } from './resources/api-keys.js';
import { AuditEvents } from './resources/audit-events.js';
import { Chats, Presence } from './resources/chats.js';
import { Calls, InstanceSettingsResource, StatusPosts } from './resources/calls.js';
import { Contacts, Lids } from './resources/contacts.js';
import { EventTokens } from './resources/event-tokens.js';
import { Groups } from './resources/groups.js';
import { Events } from './resources/events.js';
import { Instances } from './resources/instances.js';
import { Media } from './resources/media.js';
import { Messages } from './resources/messages.js';
import { LimitsResource, Operations } from './resources/operations.js';
import { WebhookDeliveries } from './resources/webhook-deliveries.js';
import { WebhookEndpoints } from './resources/webhook-endpoints.js';

export type WhatIsUpClientOptions = TransportOptions;

/**
 * The WhatIsUp API, one property per resource:
 *
 * ```ts
 * const client = new WhatIsUpClient({ baseUrl: 'http://localhost:3000', apiKey: 'wiu_...' });
 * const instance = await client.instances.create({ name: 'support', kind: 'sandbox' });
 * ```
 */
export class WhatIsUpClient {
  readonly instances: Instances;
  readonly messages: Messages;
  readonly media: Media;
  readonly contacts: Contacts;
  readonly lids: Lids;
  readonly presence: Presence;
  readonly chats: Chats;
  readonly groups: Groups;
  readonly webhookEndpoints: WebhookEndpoints;
  readonly webhookDeliveries: WebhookDeliveries;
  readonly events: Events;
  readonly eventTokens: EventTokens;
  readonly apiKeys: ApiKeys;
  readonly auditEvents: AuditEvents;
  readonly limits: LimitsResource;
  readonly operations: Operations;
  /** Outbox actions (`act_` ids): block, presence, read, edit, revoke. */
  readonly actions: Actions;
  readonly calls: Calls;
  readonly instanceSettings: InstanceSettingsResource;
  readonly statusPosts: StatusPosts;

  constructor(options: WhatIsUpClientOptions) {
    const transport = createTransport(options);
    this.instances = new Instances(transport);
    this.messages = new Messages(transport);
    this.actions = new Actions(transport);
    this.media = new Media(transport);
    this.contacts = new Contacts(transport);
    this.lids = new Lids(transport);
    this.presence = new Presence(transport);
    this.chats = new Chats(transport);
    this.groups = new Groups(transport);
    this.webhookEndpoints = new WebhookEndpoints(transport);
    this.webhookDeliveries = new WebhookDeliveries(transport);
    this.events = new Events(transport);
    this.eventTokens = new EventTokens(transport);
    this.apiKeys = new ApiKeys(transport);
    this.auditEvents = new AuditEvents(transport);
    this.limits = new LimitsResource(transport);
    this.operations = new Operations(transport);
    this.calls = new Calls(transport);
    this.instanceSettings = new InstanceSettingsResource(transport);
    this.statusPosts = new StatusPosts(transport);
  }
}
