import type { ApiClient } from './api-client.js';
import { until } from '@whatisup/test-infra';

/** An instance as `GET /v1/instances/:id` shows it (the fields these tests read). */
export interface InstanceJson {
  readonly id: string;
  readonly name: string;
  readonly kind: 'whatsapp' | 'sandbox';
  readonly status: string;
  readonly status_reason: string | null;
  readonly phone_number: string | null;
}

/** Polls the instance over the API until its status is `status`; rejects with the last state seen. */
export async function waitForInstanceStatus(api: ApiClient, id: string, status: string, timeoutMs = 15_000): Promise<InstanceJson> {
  let last: InstanceJson | null = null;
  await until(
    async () => {
      const response = await api.get<InstanceJson>(`/v1/instances/${id}`);
      last = response.status === 200 ? response.body : null;
      return last?.status === status;
    },
    { timeoutMs, intervalMs: 50, message: () => `instance ${id} never became ${status}; last seen: ${JSON.stringify(last)}` },
  );
  return last!;
}
