/*
 * Caps the requests in flight to one host across every worker process, so a slow customer endpoint
 * delays only its own deliveries (WEBHOOK_MAX_PER_HOST, default 4). A slot is a lease with an expiry,
 * not a counter: a worker that crashes while holding slots never returns them, and a counter would leak
 * them forever; an expired lease simply stops counting (self-healing). The lease must therefore outlive
 * the longest request it guards (e.g. twice the outbound timeout).
 */

export interface HostLease {
  /** The host as given to tryAcquire (normalise it before: lower-case name, no port if default). */
  readonly host: string;
  /** Opaque, unique per acquisition. */
  readonly token: string;
  /** After this the slot is free again even without a release. */
  readonly expiresAt: Date;
}

export interface HostGate {
  /**
   * Takes a slot for `host` if fewer than the limit are held (expired leases do not count), atomically
   * across processes. Returns null when the host is full: the caller defers and tries again later.
   */
  tryAcquire(host: string): Promise<HostLease | null>;
  /** Frees the lease's slot. Releasing an expired or already released lease does nothing. */
  release(lease: HostLease): Promise<void>;
}
