/** Who did something: an API key (with its customer), the operator's CLI, or the system itself. */
export type Actor =
  | { readonly type: 'api_key'; readonly keyId: string; readonly customerId: string }
  | { readonly type: 'cli' }
  | { readonly type: 'system' };

/**
 * An authenticated API caller. A key bound to an instance (`instanceId` set) sees and acts on that
 * instance only.
 */
export interface Principal {
  readonly customerId: string;
  readonly keyId: string;
  readonly instanceId: string | null;
}

export const actorOf = (principal: Principal): Actor => ({
  type: 'api_key',
  keyId: principal.keyId,
  customerId: principal.customerId,
});
