/*
 * Who may manage which endpoint. Another customer's endpoint is `not_found`. A key bound to an instance
 * manages only endpoints bound to that instance: an unbound endpoint (every instance) or another
 * instance's is `forbidden`, as for instances (same tenant, so nothing leaks).
 */
import { DomainError, notFound, type Principal } from '../../shared/index.js';
import type { WebhookEndpoint } from './webhook-endpoint.js';
import type { WebhookRepositories } from '../webhook-repositories.js';

/** Throws `forbidden` unless the principal may manage an endpoint bound to `instanceId` (null: unbound). */
export function assertEndpointScopeAllowed(principal: Principal, instanceId: string | null): void {
  if (principal.instanceId !== null && principal.instanceId !== instanceId) {
    throw new DomainError('forbidden', 'This API key may only manage webhook endpoints of its own instance.', {
      instance_id: principal.instanceId,
    });
  }
}

/** The principal's endpoint. Throws `not_found` when absent or another customer's, `forbidden` out of scope. */
export async function findEndpointInScope(
  repos: WebhookRepositories,
  principal: Principal,
  id: string,
): Promise<WebhookEndpoint> {
  const endpoint = await repos.webhookEndpoints.findById(principal.customerId, id);
  if (endpoint === null) throw notFound('webhook endpoint', id);
  assertEndpointScopeAllowed(principal, endpoint.instanceId);
  return endpoint;
}

const MAX_DESCRIPTION = 500;

/** A description of at most 500 characters after trimming; empty or null clears it. */
export function validDescription(description: string | null | undefined): string | null {
  if (description === undefined || description === null) return null;
  const trimmed = description.trim();
  if (trimmed.length > MAX_DESCRIPTION) {
    throw new DomainError('invalid_input', `description must be at most ${MAX_DESCRIPTION} characters.`, {
      field: 'description',
    });
  }
  return trimmed.length === 0 ? null : trimmed;
}
