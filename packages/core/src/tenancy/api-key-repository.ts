import type { StoredApiKey, ApiKey } from './api-key.js';
import type { Page, PageRequest } from '../shared/index.js';

export interface ApiKeyRepository {
  /**
   * Inserts the key. Throws `DomainError('conflict')` on a duplicate id or prefix. With `parentKeyId`, the
   * parent is locked against a concurrent revocation until the transaction ends and must not be revoked:
   * otherwise nothing is inserted and `DomainError('forbidden')` is thrown.
   */
  create(key: StoredApiKey): Promise<ApiKey>;
  /**
   * The key with this public prefix, including its hash, whatever its state (revoked or expired keys are
   * returned too: the caller decides). Null when absent. Not tenant-scoped: this is how a request finds
   * its tenant in the first place.
   */
  findByPrefix(prefix: string): Promise<StoredApiKey | null>;
  /** The customer's key, or null when absent or another customer's. */
  findById(customerId: string, id: string): Promise<ApiKey | null>;
  /** The customer's keys, newest first; with `instanceId`, only keys bound to that instance. */
  list(customerId: string, page: PageRequest, filter?: { instanceId?: string }): Promise<Page<ApiKey>>;
  /** Sets `revoked_at` if not yet set. Returns the key, or null when absent or another customer's. */
  revoke(customerId: string, id: string, at: Date): Promise<ApiKey | null>;
  /**
   * Revokes every live key descended from the key (its children, their children, ...), not the key itself.
   * Returns the keys just revoked; none for another customer's key.
   */
  revokeDescendants(customerId: string, id: string, at: Date): Promise<ApiKey[]>;
  /** Revokes every live key bound to the instance (the instance is being deleted). Returns their ids. */
  revokeForInstance(customerId: string, instanceId: string, at: Date): Promise<string[]>;
  /** Records last use, batched by the caller: one write for many requests. Unknown ids are ignored. */
  touch(lastUsed: ReadonlyMap<string, Date>): Promise<void>;
}
