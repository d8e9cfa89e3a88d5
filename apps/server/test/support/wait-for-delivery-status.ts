import type { ApiClient } from './api-client.js';
import { until } from '@whatisup/test-infra';

/** A delivery as `GET /v1/webhook-deliveries/:id` shows it (the fields these tests read). */
export interface DeliveryDetail {
  readonly id: string;
  readonly endpoint_id: string;
  readonly event: string;
  readonly event_id: string;
  readonly status: 'pending' | 'retrying' | 'success' | 'failed';
  readonly attempt_count: number;
  readonly last_response_status: number | null;
  readonly last_error: string | null;
  readonly raw_payload: string;
  readonly attempts: ReadonlyArray<{ attempt_number: number; response_status: number | null; error: string | null }>;
}

/** Polls the delivery over the API until it has `status`; rejects with the last state seen. */
export async function waitForDeliveryStatus(
  api: ApiClient,
  deliveryId: string,
  status: DeliveryDetail['status'],
  timeoutMs = 15_000,
): Promise<DeliveryDetail> {
  let last: DeliveryDetail | null = null;
  await until(
    async () => {
      const response = await api.get<DeliveryDetail>(`/v1/webhook-deliveries/${deliveryId}`);
      last = response.status === 200 ? response.body : null;
      return last?.status === status;
    },
    { timeoutMs, intervalMs: 100, message: () => `delivery ${deliveryId} never became ${status}; last seen: ${JSON.stringify(last)}` },
  );
  return last!;
}
