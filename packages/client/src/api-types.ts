/*
 * Every request and response shape, derived from the schemas the server validates with (declared once in
 * @whatisup/core). Nothing here is written by hand: a changed schema changes these types. The imports are
 * type-only, so no schema code reaches the client's runtime.
 *
 * A schema's wire shape is its *input* type: what a caller may send for a request body (optional fields and
 * defaults included), and what the server's handler returns before validation for a response. It is read
 * through Standard Schema's `~standard.types`, which every valibot schema carries, so the client names no
 * schema library.
 */
import type { DomainErrorCode, EventName, WebhookEvent } from '@whatisup/core';
import type {
  CallJson,
  InjectedEventJson,
  InstanceSettingsJson,
  InstanceSettingsPatchBody,
  SandboxEventInjection,
  StatusPostBody,
} from '@whatisup/core';
import type { ChatJson, ChatReadBody, ChatStateBody, PresenceBody, PresenceSubscriptionBody } from '@whatisup/core/chats';
import type {
  ActionAcceptedJson,
  BlocklistJson,
  BusinessProfileJson,
  CheckContactsBody,
  ContactCheckListJson,
  ContactJson,
  LidJson,
  ProfilePictureJson,
} from '@whatisup/core/contacts';
import type { CreateEventTokenBody, EventTokenJson } from '@whatisup/core/event-tokens';
import type {
  CreateGroupBody,
  CreatedGroupJson,
  GroupInviteJson,
  GroupJson,
  GroupParticipantsBody,
  GroupPictureBody,
  JoinGroupBody,
  JoinRequestListJson,
  JoinRequestsBody,
  JoinedGroupJson,
  ParticipantResultsJson,
  SandboxGroupEventBody,
  SandboxGroupEventJson,
  UpdateGroupBody,
} from '@whatisup/core/groups';
import type { CreateInstanceBody, InstanceJson } from '@whatisup/core/instances';
import type {
  ActionJson,
  EditMessageBody,
  ForwardMessageBody,
  InjectedMessageJson,
  MessageAcceptedJson,
  MessageDetailJson,
  MessageJson,
  SandboxInboundBody,
  SendMessageBodySchema,
  SendMessageWithInstanceBodySchema,
  messageFilterEntries,
} from '@whatisup/core/messages';
import type { PairCodeBody, PairCodeJson, QrJson } from '@whatisup/core/sessions';
import type {
  ApiKeyJson,
  AuditEventJson,
  CreateApiKeyBody,
  CreatedApiKeyJson,
  auditEventFilterEntries,
} from '@whatisup/core/tenancy';
import type {
  CreateWebhookEndpointBody,
  RecoverWebhookDeliveriesBody,
  RecoveredJson,
  RotateWebhookSecretBody,
  UpdateWebhookEndpointBody,
  WebhookDeliveryDetailJson,
  WebhookDeliveryJson,
  WebhookEndpointJson,
  WebhookEndpointWithSecretJson,
  WebhookTestJson,
  webhookDeliveryFilterEntries,
} from '@whatisup/core/webhooks';

/** Anything that implements Standard Schema (valibot, zod, ...). */
interface StandardSchemaLike {
  readonly '~standard': { readonly types?: { readonly input: unknown; readonly output: unknown } | undefined };
}

/** The wire shape of a schema: its input type. */
export type WireOf<S extends StandardSchemaLike> = NonNullable<S['~standard']['types']>['input'];

/** A list's filters, from the feature's filter entries (each entry optional). */
type FiltersOf<E extends Record<string, StandardSchemaLike>> = { [K in keyof E]?: Exclude<WireOf<E[K]>, undefined> };

// Instances and pairing
export type Instance = WireOf<typeof InstanceJson>;
export type CreateInstanceParams = WireOf<typeof CreateInstanceBody>;
export type InstanceStatus = Instance['status'];
export type Qr = WireOf<typeof QrJson>;
export type PairCodeParams = WireOf<typeof PairCodeBody>;
export type PairCode = WireOf<typeof PairCodeJson>;
export type SandboxInboundParams = WireOf<typeof SandboxInboundBody>;
export type InjectedMessage = WireOf<typeof InjectedMessageJson>;
/** A call or a view of a status post the sandbox's phone is made to report (`kind`). */
export type SandboxEventParams = WireOf<typeof SandboxEventInjection>;
export type InjectedEvent = WireOf<typeof InjectedEventJson>;

// Messages
export type SendMessageParams = WireOf<typeof SendMessageBodySchema>;
export type SendMessageWithInstanceParams = WireOf<typeof SendMessageWithInstanceBodySchema>;
export type MessageBody = SendMessageParams['body'];
export type MessageAccepted = WireOf<typeof MessageAcceptedJson>;
export type Message = WireOf<typeof MessageJson>;
export type MessageDetail = WireOf<typeof MessageDetailJson>;
export type MessageStatus = Message['status'];
export type MessageFilters = FiltersOf<typeof messageFilterEntries>;
export type EditMessageParams = WireOf<typeof EditMessageBody>;
export type ForwardMessageParams = WireOf<typeof ForwardMessageBody>;

// Actions staged in an instance's outbox (block, presence, read receipts, edits, revokes): the 202
export type ActionAccepted = WireOf<typeof ActionAcceptedJson>;
/** An outbox action and where it stands (`GET /v1/actions/{id}`). */
export type Action = WireOf<typeof ActionJson>;

// Contacts and LIDs
export type CheckContactsParams = WireOf<typeof CheckContactsBody>;
export type ContactCheckList = WireOf<typeof ContactCheckListJson>;
export type ContactCheck = ContactCheckList['data'][number];
export type Contact = WireOf<typeof ContactJson>;
export type ProfilePicture = WireOf<typeof ProfilePictureJson>;
export type BusinessProfile = WireOf<typeof BusinessProfileJson>;
export type Blocklist = WireOf<typeof BlocklistJson>;
export type BlockedContact = Blocklist['data'][number];
export type Lid = WireOf<typeof LidJson>;

// Presence and chats
export type SetPresenceParams = WireOf<typeof PresenceBody>;
export type PresenceState = SetPresenceParams['state'];
export type SubscribePresenceParams = WireOf<typeof PresenceSubscriptionBody>;
export type MarkChatReadParams = WireOf<typeof ChatReadBody>;
export type Chat = WireOf<typeof ChatJson>;
export type UpdateChatParams = WireOf<typeof ChatStateBody>;
/** Filters of the chat list: archived (or not) and unread (or not). */
export interface ChatFilters {
  readonly archived?: boolean;
  readonly unread?: boolean;
}

// Calls, instance settings and status posts
export type Call = WireOf<typeof CallJson>;
export type InstanceSettings = WireOf<typeof InstanceSettingsJson>;
export type UpdateInstanceSettingsParams = WireOf<typeof InstanceSettingsPatchBody>;
export type PostStatusParams = WireOf<typeof StatusPostBody>;
// Groups
export type CreateGroupParams = WireOf<typeof CreateGroupBody>;
export type CreatedGroup = WireOf<typeof CreatedGroupJson>;
export type ParticipantResult = CreatedGroup['participants'][number];
export type Group = WireOf<typeof GroupJson>;
export type UpdateGroupParams = WireOf<typeof UpdateGroupBody>;
export type GroupPictureParams = WireOf<typeof GroupPictureBody>;
export type GroupParticipantsParams = WireOf<typeof GroupParticipantsBody>;
export type ParticipantResults = WireOf<typeof ParticipantResultsJson>;
export type GroupInvite = WireOf<typeof GroupInviteJson>;
export type JoinGroupParams = WireOf<typeof JoinGroupBody>;
export type JoinedGroup = WireOf<typeof JoinedGroupJson>;
export type JoinRequestList = WireOf<typeof JoinRequestListJson>;
export type JoinRequest = JoinRequestList['data'][number];
export type JoinRequestsParams = WireOf<typeof JoinRequestsBody>;
export type SandboxGroupEventParams = WireOf<typeof SandboxGroupEventBody>;
export type SandboxGroupEvent = WireOf<typeof SandboxGroupEventJson>;

// Webhook endpoints and deliveries
export type WebhookEndpoint = WireOf<typeof WebhookEndpointJson>;
export type WebhookEndpointWithSecret = WireOf<typeof WebhookEndpointWithSecretJson>;
export type CreateWebhookEndpointParams = WireOf<typeof CreateWebhookEndpointBody>;
export type UpdateWebhookEndpointParams = WireOf<typeof UpdateWebhookEndpointBody>;
export type RotateWebhookSecretParams = Exclude<WireOf<typeof RotateWebhookSecretBody>, undefined>;
export type WebhookTest = WireOf<typeof WebhookTestJson>;
export type WebhookDelivery = WireOf<typeof WebhookDeliveryJson>;
export type WebhookDeliveryDetail = WireOf<typeof WebhookDeliveryDetailJson>;
export type WebhookDeliveryFilters = FiltersOf<typeof webhookDeliveryFilterEntries>;
export type RecoverWebhookDeliveriesParams = WireOf<typeof RecoverWebhookDeliveriesBody>;
export type Recovered = WireOf<typeof RecoveredJson>;

// API keys, audit, event tokens
export type ApiKey = WireOf<typeof ApiKeyJson>;
export type CreatedApiKey = WireOf<typeof CreatedApiKeyJson>;
export type CreateApiKeyParams = WireOf<typeof CreateApiKeyBody>;
export type AuditEvent = WireOf<typeof AuditEventJson>;
export type AuditEventFilters = FiltersOf<typeof auditEventFilterEntries>;
export type CreateEventTokenParams = WireOf<typeof CreateEventTokenBody>;
export type EventToken = WireOf<typeof EventTokenJson>;

// Events and errors
export type { WebhookEvent, EventName, DomainErrorCode };

/** `limit` (1-100, default 20) and `cursor` (a previous page's `next_cursor`) of every list. */
export interface PageParams {
  readonly limit?: number;
  readonly cursor?: string;
}

/** One page of a list, newest first; `next_cursor` is null on the last page. */
export interface Page<T> {
  readonly data: T[];
  readonly next_cursor: string | null;
}
