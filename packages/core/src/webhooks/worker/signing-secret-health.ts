/*
 * Whether this process's SECRETS_KEY opens the webhook secrets it meets. A key that opens nothing (the
 * wrong key deployed, SECRETS_KEY_PREVIOUS dropped before `secrets rotate`) must be said loudly but once:
 * the delivery worker reports each endpoint the first time its secret fails, and `/readyz` turns unready
 * when secrets failed and none opened since the start. One endpoint whose secret is damaged does not make
 * the process unready; its deliveries say so in last_error.
 */
export interface SigningSecretHealth {
  /** An endpoint's secret failed to open. True the first time for this endpoint (log it then, not again). */
  failed(endpointId: string): boolean;
  /** An endpoint's secret opened: the key works (for it). */
  opened(endpointId: string): void;
  /** False when some secret failed and none opened: the key opens nothing this process has seen. */
  ready(): boolean;
  /** Endpoints whose secret failed and has not opened since. */
  failing(): number;
}

export function createSigningSecretHealth(): SigningSecretHealth {
  const failing = new Set<string>();
  let openedAny = false;
  return {
    failed(endpointId) {
      if (failing.has(endpointId)) return false;
      failing.add(endpointId);
      return true;
    },
    opened(endpointId) {
      openedAny = true;
      failing.delete(endpointId);
    },
    ready: () => failing.size === 0 || openedAny,
    failing: () => failing.size,
  };
}
