/*
 * Rotation: the new secret becomes current and the old one keeps signing for 24 hours (both signatures
 * are sent), so a consumer can switch without dropping a request. Rotating again during that window
 * makes the secret being replaced the previous one; the older one stops signing at once.
 */
import { actorOf, notFound, type Clock, type Principal, type UnitOfWork } from '../../shared/index.js';
import type { WebhookRepositories } from '../webhook-repositories.js';
import type { SecretBox } from '../signing/secret-box.js';
import { generateSigningSecret, validateSigningSecret } from '../signing/signing-secret.js';
import type { EndpointWithSecret } from './create-webhook-endpoint.js';
import { findEndpointInScope } from './webhook-endpoint-scope.js';

export const PREVIOUS_SECRET_TTL_MS = 24 * 60 * 60 * 1000;

export interface RotateWebhookSecretDeps {
  readonly uow: UnitOfWork<WebhookRepositories>;
  readonly clock: Clock;
  readonly secretBox: SecretBox;
}

export interface RotateWebhookSecretInput {
  readonly id: string;
  /** A caller-chosen `whsec_...` secret; absent: one is generated. */
  readonly signingSecret?: string | undefined;
}

export type RotateWebhookSecret = (principal: Principal, input: RotateWebhookSecretInput) => Promise<EndpointWithSecret>;

/**
 * Returns the new secret once. Throws `not_found` / `forbidden` as getWebhookEndpoint does and
 * `invalid_input` for a malformed supplied secret. Audited as `webhook_endpoint.secret_rotated` (no secret).
 */
export function createRotateWebhookSecret({ uow, clock, secretBox }: RotateWebhookSecretDeps): RotateWebhookSecret {
  return async (principal, input) => {
    const signingSecret =
      input.signingSecret === undefined ? generateSigningSecret() : validateSigningSecret(input.signingSecret);
    const sealed = secretBox.seal(signingSecret, input.id);
    const now = clock.now();
    const previousSecretExpiresAt = new Date(now.getTime() + PREVIOUS_SECRET_TTL_MS);
    const endpoint = await uow.transaction(async (repos) => {
      await findEndpointInScope(repos, principal, input.id);
      const stored = await repos.webhookEndpoints.findStored(principal.customerId, input.id);
      if (stored === null) throw notFound('webhook endpoint', input.id);
      const rotated = await repos.webhookEndpoints.setSecrets(
        principal.customerId,
        input.id,
        { secret: sealed, previousSecret: stored.secret, previousSecretExpiresAt },
        now,
      );
      if (rotated === null) throw notFound('webhook endpoint', input.id);
      await repos.audit.append({
        customerId: principal.customerId,
        actor: actorOf(principal),
        action: 'webhook_endpoint.secret_rotated',
        targetType: 'webhook_endpoint',
        targetId: input.id,
        instanceId: rotated.instanceId,
        data: { previous_secret_expires_at: previousSecretExpiresAt.toISOString() },
        occurredAt: now,
      });
      return rotated;
    });
    return { endpoint, signingSecret };
  };
}
