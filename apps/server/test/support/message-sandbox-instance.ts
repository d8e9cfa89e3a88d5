/*
 * A connected sandbox instance, made over the API as an integrator would: create it with `kind: sandbox`,
 * connect it, and wait until it reports `connected` (it pairs itself after SANDBOX_AUTO_SCAN_MS; start the
 * server with a small value).
 */
import type { ApiClient } from './api-client.js';
import { until } from '@whatisup/test-infra';

/** Creates and connects a sandbox instance; resolves with its id once `GET /v1/instances/:id` says connected. */
export async function connectSandboxInstance(api: ApiClient, name: string, timeoutMs = 15_000): Promise<string> {
  const created = await api.post<{ id: string }>('/v1/instances', { name, kind: 'sandbox' });
  if (created.status !== 201) throw new Error(`creating sandbox instance ${name} answered ${created.status}: ${JSON.stringify(created.body)}`);
  const id = created.body.id;
  const connecting = await api.post(`/v1/instances/${id}/connect`);
  if (connecting.status >= 300) throw new Error(`connecting ${id} answered ${connecting.status}: ${JSON.stringify(connecting.body)}`);
  await waitUntilConnected(api, id, timeoutMs);
  return id;
}

/** Polls the instance until it is `connected`; rejects with the last status seen. */
export async function waitUntilConnected(api: ApiClient, instanceId: string, timeoutMs = 15_000): Promise<void> {
  let status = 'unknown';
  await until(
    async () => {
      const instance = await api.get<{ status: string }>(`/v1/instances/${instanceId}`);
      status = instance.status === 200 ? instance.body.status : `HTTP ${instance.status}`;
      return status === 'connected';
    },
    { timeoutMs, intervalMs: 50, message: () => `sandbox instance ${instanceId} is ${status}, not connected` },
  );
}
