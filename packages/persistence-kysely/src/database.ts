/*
 * Kysely's view of the schema the migrations build (webhook_deliveries and webhook_delivery_attempts are
 * partitioned by day; queries name the parent tables). Column types follow what the pool returns (see
 * create-kysely-database.ts): timestamptz → Date, bigint → number, bytea → Buffer, jsonb → parsed JSON,
 * text[] → string[]. `Generated` marks columns the database fills by default.
 */
import type { ColumnType, Generated } from 'kysely';

/** A timestamptz the database defaults to now(). */
type CreatedAt = ColumnType<Date, Date | undefined, Date>;
export type Json = Record<string, unknown>;
type JsonColumn = ColumnType<Json, Json | string | undefined, Json | string>;

export interface CustomersTable {
  id: string;
  name: string;
  created_at: CreatedAt;
}

export interface InstancesTable {
  id: string;
  customer_id: string;
  name: string;
  kind: Generated<string>;
  status: Generated<string>;
  status_reason: string | null;
  phone_number: string | null;
  last_seen_at: Date | null;
  metadata: JsonColumn;
  created_at: CreatedAt;
  updated_at: CreatedAt;
  deleted_at: Date | null;
}

export interface ApiKeysTable {
  id: string;
  customer_id: string;
  instance_id: string | null;
  name: string | null;
  parent_key_id: string | null;
  prefix: string;
  secret_hash: Buffer;
  created_at: CreatedAt;
  last_used_at: Date | null;
  expires_at: Date | null;
  revoked_at: Date | null;
}

export interface MessagesTable {
  id: string;
  customer_id: string;
  instance_id: string;
  seq: ColumnType<number, never, never>;
  recipient: string;
  body: JsonColumn;
  reply_to: string | null;
  client_ref: string | null;
  typing_ms: number | null;
  status_post: JsonColumn | null;
  forwarded_from: string | null;
  idempotency_key: string | null;
  request_hash: string;
  status: Generated<string>;
  whatsapp_id: string | null;
  error_code: string | null;
  error_message: string | null;
  attempt_count: Generated<number>;
  next_attempt_at: CreatedAt;
  claimed_until: Date | null;
  claim_token: string | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
  /** W3C trace context of the accepting request; null when untraced. */
  traceparent: ColumnType<string | null, string | null | undefined, never>;
}

export interface MessageStatusHistoryTable {
  id: Generated<number>;
  message_id: string;
  customer_id: string;
  status: string;
  at: Date;
  participant: string | null;
  error_code: string | null;
  error_message: string | null;
}

export interface WebhookEndpointsTable {
  id: string;
  customer_id: string;
  instance_id: string | null;
  url: string;
  description: string | null;
  events: string[];
  enabled: Generated<boolean>;
  disabled_reason: string | null;
  secret_ciphertext: string;
  secret_key_id: string;
  previous_secret_ciphertext: string | null;
  previous_secret_key_id: string | null;
  previous_secret_expires_at: Date | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface WebhookDeliveriesTable {
  id: string;
  customer_id: string;
  endpoint_id: string;
  instance_id: string | null;
  event: string;
  event_id: string;
  /** The exact bytes signed and sent. */
  payload: string;
  status: Generated<string>;
  attempt_count: Generated<number>;
  next_attempt_at: Date | null;
  claimed_until: Date | null;
  claim_token: string | null;
  last_response_status: number | null;
  last_error: string | null;
  delivered_at: Date | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
  /** W3C trace context of the work that recorded the event; null when untraced. */
  traceparent: ColumnType<string | null, string | null | undefined, never>;
}

export interface WebhookDeliveryAttemptsTable {
  id: string;
  delivery_id: string;
  customer_id: string;
  attempt_number: number;
  started_at: Date;
  duration_ms: number;
  response_status: number | null;
  error: string | null;
  response_excerpt: string | null;
}

export interface AuditEventsTable {
  id: string;
  customer_id: string | null;
  actor_type: string;
  actor_api_key_id: string | null;
  actor_id: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  instance_id: string | null;
  data: JsonColumn;
  occurred_at: CreatedAt;
}

export interface MigrationsTable {
  name: string;
  checksum: string;
  applied_at: CreatedAt;
}

/** The phone numbers learnt behind LIDs, per customer (migration 0030). */
export interface ContactLidsTable {
  customer_id: string;
  lid: string;
  phone_number: string;
  instance_id: string | null;
  learned_at: Date;
}

/** Idempotency keys of group creations (migration 0050). */
export interface GroupCreationsTable {
  customer_id: string;
  idempotency_key: string;
  instance_id: string;
  request_hash: string;
  status: 'pending' | 'done';
  response: ColumnType<Json | null, string | null, string | null>;
  created_at: Date;
  expires_at: Date;
}

/** The chat list of each instance (migration 0060). */
export interface ChatsTable {
  customer_id: string;
  instance_id: string;
  chat_id: string;
  name: string | null;
  unread_count: Generated<number>;
  marked_unread: Generated<boolean>;
  archived: Generated<boolean>;
  pinned: Generated<boolean>;
  muted_until: Date | null;
  ephemeral_seconds: Generated<number>;
  last_activity_at: Date;
  created_at: Date;
  updated_at: Date;
}

export interface NodesTable {
  id: string;
  address: string | null;
  max_sessions: number;
  started_at: Date;
  heartbeat_at: Date;
}

export interface SessionLeasesTable {
  instance_id: string;
  node_id: string | null;
  epoch: number;
  expires_at: Date;
}

export interface SessionCredentialsTable {
  instance_id: string;
  name: string;
  key_id: string;
  sealed: string;
  updated_at: CreatedAt;
}

export interface InstanceSettingsTable {
  instance_id: string;
  customer_id: string;
  reject_calls: boolean;
  call_reply_text: string | null;
  always_online: boolean;
  send_read_receipts: boolean;
  updated_at: Date;
}

export interface Database {
  nodes: NodesTable;
  session_credentials: SessionCredentialsTable;
  session_leases: SessionLeasesTable;
  customers: CustomersTable;
  instances: InstancesTable;
  api_keys: ApiKeysTable;
  messages: MessagesTable;
  message_status_history: MessageStatusHistoryTable;
  contact_lids: ContactLidsTable;
  instance_settings: InstanceSettingsTable;
  chats: ChatsTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_delivery_attempts: WebhookDeliveryAttemptsTable;
  audit_events: AuditEventsTable;
  _migrations: MigrationsTable;
  group_creations: GroupCreationsTable;
}
