/*
 * The operator's routes outside `/v1`: liveness, readiness and metrics. Their response shapes are declared by
 * the HTTP server itself (not in @whatisup/core), so the types below are the documented fields, kept loose.
 */
import type { CallOptions, Transport } from '../http/transport.js';
import { ROUTES } from '../routes.js';

export interface Health {
  readonly status: 'ok';
}

export interface Readiness {
  readonly status: 'ok';
  /** One entry per dependency (Postgres, Redis, sessions). */
  readonly checks: Record<string, unknown>;
  readonly details?: Record<string, unknown>;
}

/** Your request bucket and the webhook fan-out quotas (`GET /v1/limits`). */
export interface Limits {
  readonly requests: { readonly limit: number; readonly remaining: number; readonly reset_at: string; readonly refill_per_second: number };
  readonly webhook_endpoints?: {
    readonly per_customer: { readonly limit: number; readonly used: number };
    readonly per_instance: { readonly limit: number; readonly used: number };
  };
}

export class Operations {
  constructor(private readonly transport: Transport) {}

  /** Resolves when the process is up. */
  health(options: CallOptions = {}): Promise<Health> {
    return this.transport.json({ ...ROUTES.getHealth, anonymous: true, retry: true, signal: options.signal });
  }

  /** Resolves when Postgres, Redis and sessions are usable; else throws `unavailable` (503) with `details.checks`. */
  readiness(options: CallOptions = {}): Promise<Readiness> {
    return this.transport.json({ ...ROUTES.getReadiness, anonymous: true, retry: false, signal: options.signal });
  }

  /** The Prometheus text. `token`: the scrape token, when the operator set METRICS_TOKEN. */
  async metrics(params: { readonly token?: string } = {}, options: CallOptions = {}): Promise<string> {
    const response = await this.transport.send({
      ...ROUTES.getMetrics,
      anonymous: true,
      headers: { accept: 'text/plain', ...(params.token === undefined ? {} : { authorization: `Bearer ${params.token}` }) },
      retry: true,
      signal: options.signal,
    });
    return response.text();
  }
}

/** `GET /v1/limits`: read without spending a request token. */
export class LimitsResource {
  constructor(private readonly transport: Transport) {}

  get(options: CallOptions = {}): Promise<Limits> {
    return this.transport.json({ ...ROUTES.getLimits, retry: true, signal: options.signal });
  }
}
