/*
 * Operator key rotation for sealed webhook secrets (`whatisup secrets rotate`): walks every endpoint of
 * every customer in id order, a batch at a time, and re-seals under the current SECRETS_KEY whatever is
 * sealed under another key or in the format not yet bound to its endpoint (v1), current and previous
 * secret alike. Each endpoint is rewritten on its own, so
 * an interrupted run can simply be started again; endpoints already current are left untouched.
 */
import { assertOperator, type Clock, type Actor, type UnitOfWork } from '../../shared/index.js';
import type { StoredWebhookEndpoint } from '../endpoints/webhook-endpoint.js';
import type { WebhookRepositories } from '../webhook-repositories.js';
import type { SecretBox } from './secret-box.js';

export interface ResealWebhookSecretsDeps {
  readonly uow: UnitOfWork<WebhookRepositories>;
  readonly clock: Clock;
  readonly secretBox: SecretBox;
  /** Endpoints read per batch; default 500. */
  readonly batchSize?: number;
}

export interface ResealReport {
  /** Endpoints looked at. */
  readonly scanned: number;
  /** Endpoints whose secret(s) were re-sealed under the current key. */
  readonly resealed: number;
}

export type ResealWebhookSecrets = (actor: Actor) => Promise<ResealReport>;

export function createResealWebhookSecrets({ uow, clock, secretBox, batchSize = 500 }: ResealWebhookSecretsDeps): ResealWebhookSecrets {
  const stale = (endpoint: StoredWebhookEndpoint): boolean =>
    secretBox.needsReseal(endpoint.secret) || (endpoint.previousSecret !== null && secretBox.needsReseal(endpoint.previousSecret));

  return async (actor) => {
    assertOperator(actor);
    let scanned = 0;
    let resealed = 0;
    let afterId: string | null = null;
    for (;;) {
      const batch: StoredWebhookEndpoint[] = await uow.repos.webhookEndpoints.listAllSecrets(afterId, batchSize);
      if (batch.length === 0) break;
      for (const endpoint of batch) {
        scanned += 1;
        if (!stale(endpoint)) continue;
        const now = clock.now();
        const secret = secretBox.reseal(endpoint.secret, endpoint.id);
        await uow.transaction(async (repos) => {
          await repos.webhookEndpoints.setSecrets(
            endpoint.customerId,
            endpoint.id,
            {
              secret,
              previousSecret: endpoint.previousSecret === null ? null : secretBox.reseal(endpoint.previousSecret, endpoint.id),
              previousSecretExpiresAt: endpoint.previousSecretExpiresAt,
            },
            now,
          );
          await repos.audit.append({
            customerId: endpoint.customerId,
            actor,
            action: 'webhook_endpoint.secret_resealed',
            targetType: 'webhook_endpoint',
            targetId: endpoint.id,
            instanceId: endpoint.instanceId,
            data: { key_id: secret.keyId },
            occurredAt: now,
          });
        });
        resealed += 1;
      }
      afterId = batch[batch.length - 1]!.id;
    }
    return { scanned, resealed };
  };
}
