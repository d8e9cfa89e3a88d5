/*
 * Webhook endpoints as JSON. The signing secret appears in exactly two responses, creation and rotation
 * (`signing_secret`, shown once); every other shape is built by `toWebhookEndpointJson`, which has no
 * secret to copy because core's `WebhookEndpoint` carries none, sealed or not.
 *
 * Event names are checked by core (one rule for every caller): an unknown name is a 400 `invalid_input`
 * whose `details.unknown` lists the names refused and `details.allowed` the ones accepted.
 */
import * as v from 'valibot';
import { EVENT_NAMES } from '../../events/index.js';
import { NullableTimestamp, Timestamp, idSchema } from '../../shared/index.js';
import type { EndpointWithSecret } from './create-webhook-endpoint.js';
import { EVENT_FAMILY_SELECTORS } from './validate-event-names.js';
import type { WebhookEndpoint } from './webhook-endpoint.js';

/** The longest URL accepted, in characters (the common browser and proxy limit). */
export const MAX_WEBHOOK_URL_LENGTH = 2048;
const MAX_EVENTS = 50;

/** Documented as an enum but checked by core, so an unknown name is answered with the names accepted. */
const EventSelectorJson = v.pipe(
  v.string(),
  v.metadata({ enum: ['*', ...EVENT_FAMILY_SELECTORS, ...EVENT_NAMES] }),
  v.description('An event name, a family (`message.*` for every `message.` event), or `*` for every event.'),
  v.minLength(1),
  v.maxLength(100),
);

const UrlInput = v.pipe(
  v.string(),
  v.trim(),
  v.minLength(1),
  v.maxLength(MAX_WEBHOOK_URL_LENGTH),
  v.url('Expected an absolute http(s) URL.'),
  v.description(
    'Where events are POSTed. Must resolve only to public addresses (422 `unsafe_url` with `details.reason` otherwise); ' +
      'checked again at every delivery. At most 2048 characters.',
  ),
);

const EventsInput = v.pipe(
  v.array(EventSelectorJson),
  v.minLength(1, 'Name at least one event, or "*".'),
  v.maxLength(MAX_EVENTS),
  v.description('Event names to receive, or `["*"]` for all of them.'),
);

const DescriptionInput = v.nullable(v.pipe(v.string(), v.maxLength(500), v.description('Your own note, up to 500 characters.')));

export const WebhookEndpointJson = v.object({
  id: idSchema('wh', 'Webhook endpoint id.'),
  url: v.pipe(v.string(), v.description('The normalised URL.')),
  events: v.array(v.string()),
  instance_id: v.pipe(v.nullable(v.string()), v.description('Null: events of every instance.')),
  description: v.nullable(v.string()),
  enabled: v.boolean(),
  disabled_reason: v.pipe(
    v.nullable(v.picklist(['gone', 'manual'])),
    v.description('`gone`: the receiver answered 410; `manual`: disabled through the API. Null while enabled.'),
  ),
  previous_secret_expires_at: v.pipe(
    NullableTimestamp,
    v.description('While a rotation is in progress, the previous secret also signs until this time.'),
  ),
  created_at: Timestamp,
  updated_at: Timestamp,
});

export type WebhookEndpointJson = v.InferInput<typeof WebhookEndpointJson>;

export const WebhookEndpointWithSecretJson = v.object({
  ...WebhookEndpointJson.entries,
  signing_secret: v.pipe(
    v.string(),
    v.description('The `whsec_...` signing secret. Shown only in this response: store it now.'),
  ),
});

export const CreateWebhookEndpointBody = v.strictObject({
  url: UrlInput,
  events: EventsInput,
  instance_id: v.optional(
    v.nullable(v.pipe(v.string(), v.minLength(1), v.maxLength(64), v.description('Only events of this instance.'))),
  ),
  description: v.optional(DescriptionInput),
  enabled: v.optional(v.boolean()),
  signing_secret: v.optional(
    v.pipe(
      v.string(),
      v.maxLength(200),
      v.description('Your own secret, `whsec_` + base64 of 24 to 64 random bytes; absent: one is generated.'),
    ),
  ),
});

export const UpdateWebhookEndpointBody = v.pipe(
  v.strictObject({
    url: v.optional(UrlInput),
    events: v.optional(EventsInput),
    description: v.optional(DescriptionInput),
    enabled: v.optional(v.pipe(v.boolean(), v.description('false disables the endpoint; true re-enables it.'))),
  }),
  v.check((patch) => Object.keys(patch).length > 0, 'Give at least one of url, events, description, enabled.'),
);

export const RotateWebhookSecretBody = v.optional(
  v.strictObject({
    signing_secret: v.optional(
      v.pipe(v.string(), v.maxLength(200), v.description('Your own new secret; absent: one is generated.')),
    ),
  }),
  {},
);

export const WebhookTestJson = v.object({
  event_id: idSchema('evt', 'The `webhook.test` event id (the consumer’s dedupe key).'),
  delivery_id: idSchema('dlv', 'Follow it at `GET /v1/webhook-deliveries/{id}`.'),
});

/** The one domain → JSON mapping of an endpoint; it has no secret to show. */
export function toWebhookEndpointJson(endpoint: WebhookEndpoint): WebhookEndpointJson {
  return {
    id: endpoint.id,
    url: endpoint.url,
    events: [...endpoint.events],
    instance_id: endpoint.instanceId,
    description: endpoint.description,
    enabled: endpoint.enabled,
    disabled_reason: endpoint.disabledReason,
    previous_secret_expires_at: endpoint.previousSecretExpiresAt?.toISOString() ?? null,
    created_at: endpoint.createdAt.toISOString(),
    updated_at: endpoint.updatedAt.toISOString(),
  };
}

/** The endpoint plus its plaintext secret: for the create and rotate responses only. */
export function toWebhookEndpointWithSecretJson(
  created: EndpointWithSecret,
): v.InferInput<typeof WebhookEndpointWithSecretJson> {
  return { ...toWebhookEndpointJson(created.endpoint), signing_secret: created.signingSecret };
}
