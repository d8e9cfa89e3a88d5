/*
 * Creates an endpoint and returns its signing secret ONCE: only the sealed form is stored, and no other
 * use case ever returns it. The URL is checked against the outbound policy (resolving its name) before
 * the transaction, and checked again at every delivery.
 */
import {
  actorOf,
  notFound,
  newId,
  type Clock,
  type Principal,
  type OutboundHttp,
  type UnitOfWork,
} from '../../shared/index.js';
import type { StoredWebhookEndpoint, WebhookEndpoint } from './webhook-endpoint.js';
import type { WebhookRepositories } from '../webhook-repositories.js';
import type { SecretBox } from '../signing/secret-box.js';
import { generateSigningSecret, validateSigningSecret } from '../signing/signing-secret.js';
import { validateEventNames } from './validate-event-names.js';
import { assertEndpointWithinLimits, DEFAULT_WEBHOOK_ENDPOINT_LIMITS, type WebhookEndpointLimits } from './endpoint-limits.js';
import { assertEndpointScopeAllowed, validDescription } from './webhook-endpoint-scope.js';

export interface CreateWebhookEndpointDeps {
  readonly uow: UnitOfWork<WebhookRepositories>;
  readonly clock: Clock;
  readonly outbound: Pick<OutboundHttp, 'checkUrl'>;
  readonly secretBox: SecretBox;
  /** WEBHOOK_MAX_ENDPOINTS_PER_CUSTOMER / _PER_INSTANCE; default 20 and 10. */
  readonly limits?: WebhookEndpointLimits | undefined;
}

export interface CreateWebhookEndpointInput {
  readonly url: string;
  /** Event names or `*`. */
  readonly events: readonly string[];
  /** One of the customer's live instances; absent or null: every instance. */
  readonly instanceId?: string | null | undefined;
  readonly description?: string | null | undefined;
  /** Default true. */
  readonly enabled?: boolean | undefined;
  /** A caller-chosen `whsec_...` secret; absent: one is generated. */
  readonly signingSecret?: string | undefined;
}

export interface EndpointWithSecret {
  readonly endpoint: WebhookEndpoint;
  /** The plaintext `whsec_...` secret: show it once, never store or log it. */
  readonly signingSecret: string;
}

export type CreateWebhookEndpoint = (principal: Principal, input: CreateWebhookEndpointInput) => Promise<EndpointWithSecret>;

/**
 * Throws `unsafe_url` for a URL the outbound policy refuses, `invalid_input` for bad events, description
 * or secret, `not_found` for an instance that is not the customer's live one, and `forbidden` when a key
 * bound to an instance would create an unbound endpoint or one of another instance, `limit_exceeded` past
 * the fan-out limits (checked under a per-customer lock in the creating transaction). Audited as
 * `webhook_endpoint.created`.
 */
export function createCreateWebhookEndpoint({ uow, clock, outbound, secretBox, limits = DEFAULT_WEBHOOK_ENDPOINT_LIMITS }: CreateWebhookEndpointDeps): CreateWebhookEndpoint {
  return async (principal, input) => {
    const instanceId = input.instanceId ?? null;
    // Another customer's (or no) instance is a 404 before any scope question: a 403 would confirm it exists.
    if (instanceId !== null && (await uow.repos.instances.findById(principal.customerId, instanceId)) === null) {
      throw notFound('instance', instanceId);
    }
    assertEndpointScopeAllowed(principal, instanceId);
    const events = validateEventNames(input.events);
    const description = validDescription(input.description);
    const signingSecret =
      input.signingSecret === undefined ? generateSigningSecret() : validateSigningSecret(input.signingSecret);
    const { url } = await outbound.checkUrl(input.url);
    const now = clock.now();
    const enabled = input.enabled ?? true;
    const id = newId('webhookEndpoint', now.getTime());
    const stored: StoredWebhookEndpoint = {
      id,
      customerId: principal.customerId,
      instanceId,
      url,
      description,
      events,
      enabled,
      disabledReason: enabled ? null : 'manual',
      secret: secretBox.seal(signingSecret, id),
      previousSecret: null,
      previousSecretExpiresAt: null,
      createdAt: now,
      updatedAt: now,
    };
    const endpoint = await uow.transaction(async (repos) => {
      if (instanceId !== null && (await repos.instances.findById(principal.customerId, instanceId)) === null) {
        throw notFound('instance', instanceId);
      }
      assertEndpointWithinLimits(limits, await repos.webhookEndpoints.countEndpoints(principal.customerId, instanceId), instanceId);
      const created = await repos.webhookEndpoints.create(stored);
      await repos.audit.append({
        customerId: principal.customerId,
        actor: actorOf(principal),
        action: 'webhook_endpoint.created',
        targetType: 'webhook_endpoint',
        targetId: created.id,
        instanceId,
        data: { url, events, enabled },
        occurredAt: now,
      });
      return created;
    });
    return { endpoint, signingSecret };
  };
}
