import {
  DomainError,
  toPageRequest,
  type Principal,
  type Page,
  type UnitOfWork,
  type PageInput,
} from '../../shared/index.js';
import { WEBHOOK_DELIVERY_STATUSES, type WebhookDeliverySummary, type WebhookDeliveryStatus } from './webhook-delivery.js';
import { EVENT_NAMES, isEventName } from '../../events/index.js';
import type { WebhookRepositories } from '../webhook-repositories.js';
import type { WebhookDeliveryFilter } from './webhook-delivery-repository.js';
import { assertInstanceAllowed } from '../../instances/index.js';

export interface ListWebhookDeliveriesDeps {
  readonly uow: UnitOfWork<WebhookRepositories>;
}

export interface ListWebhookDeliveriesInput extends PageInput {
  readonly status?: string | undefined;
  readonly event?: string | undefined;
  readonly instanceId?: string | undefined;
  readonly endpointId?: string | undefined;
}

export type ListWebhookDeliveries = (
  principal: Principal,
  input?: ListWebhookDeliveriesInput,
) => Promise<Page<WebhookDeliverySummary>>;

const isStatus = (value: string): value is WebhookDeliveryStatus =>
  (WEBHOOK_DELIVERY_STATUSES as readonly string[]).includes(value);

/**
 * The customer's deliveries, newest first, narrowed by status, event, instance and endpoint. A key bound
 * to an instance sees only that instance's and gets `forbidden` when it asks for another. Throws
 * `invalid_input` for a bad limit, status or event name.
 */
export function createListWebhookDeliveries({ uow }: ListWebhookDeliveriesDeps): ListWebhookDeliveries {
  return async (principal, input = {}) => {
    const page = toPageRequest(input);
    const { status, event, endpointId } = input;
    if (status !== undefined && !isStatus(status)) {
      throw new DomainError('invalid_input', `status must be one of ${WEBHOOK_DELIVERY_STATUSES.join(', ')}.`, {
        field: 'status',
      });
    }
    if (event !== undefined && !isEventName(event)) {
      throw new DomainError('invalid_input', `event must be one of ${EVENT_NAMES.join(', ')}.`, { field: 'event' });
    }
    if (input.instanceId !== undefined) assertInstanceAllowed(principal, input.instanceId);
    const instanceId = input.instanceId ?? principal.instanceId ?? undefined;
    const filter: WebhookDeliveryFilter = {
      ...(status === undefined ? {} : { status }),
      ...(event === undefined ? {} : { event }),
      ...(instanceId === undefined ? {} : { instanceId }),
      ...(endpointId === undefined ? {} : { endpointId }),
    };
    return uow.repos.webhookDeliveries.list(principal.customerId, page, filter);
  };
}
