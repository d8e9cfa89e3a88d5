/*
 * Caps the requests in flight to one host across every worker process, so a slow customer endpoint
 * delays only its own deliveries (WEBHOOK_MAX_PER_HOST, default 4). A slot is a lease with an expiry,
 * not a counter: a worker that crashes while holding slots never returns them, and a counter would leak
 * them forever; an expired lease simply stops counting (self-healing). The lease must therefore outlive
 * the longest request it guards (e.g. twice the outbound timeout).
 *
 * A refused caller may leave its name (a delivery id) on the host's wait list, in the same atomic step as
 * the refusal. A release takes as many names off the list as the host has free slots, longest-waiting
 * first, and returns them, so the caller wakes those jobs at once: nobody polls a full host. Because the name is recorded only
 * while every slot is held, some holder's release will see it (no lost wake-up); a holder that crashes
 * never releases, so waiters also need another wake (the sweeper) for that case.
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
   * across processes. Returns null when the host is full; then `waiter`, when given, is put on the host's
   * wait list (once: a name already waiting keeps its place) to be handed out by a later release. A grant takes `waiter` off the list.
   * A waiter a release handed out that is refused again (a newcomer took the slot first) goes back to the place
   * it had, not to the end, for as long as a lease lasts.
   */
  tryAcquire(host: string, waiter?: string): Promise<HostLease | null>;
  /**
   * Frees the lease's slot (releasing an expired or already released lease frees nothing). Then removes
   * from the host's wait list and returns up to as many names as the host has free slots, longest-waiting
   * first: the caller wakes them. Empty when nobody waits.
   */
  release(lease: HostLease): Promise<readonly string[]>;
}
