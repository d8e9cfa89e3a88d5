import type { LeaseFence } from '../cluster/index.js';
import type { SealedSecret } from '../webhooks/signing/secret-box.js';

/** One stored piece of an instance's WhatsApp credentials (the account, or one signal key), sealed. */
export interface StoredCredential {
  readonly instanceId: string;
  /** `creds` for the account, `<type>/<id>` for a signal key. */
  readonly name: string;
  readonly sealed: SealedSecret;
}

export interface CredentialChange {
  readonly name: string;
  /** Null deletes the entry. */
  readonly sealed: SealedSecret | null;
}

/**
 * Where every node reads and writes WhatsApp credentials (Postgres). Not tenant-scoped by design: only the
 * session factories and the operator's CLI reach it, by instance id; the values are sealed with SECRETS_KEY.
 */
export interface SessionCredentialRepository {
  /** Every entry of the instance; empty when it has none. */
  list(instanceId: string): Promise<StoredCredential[]>;
  /** One entry, or null when absent. */
  find(instanceId: string, name: string): Promise<StoredCredential | null>;
  /**
   * Applies the changes in one transaction. With a fence, only while that lease holds at `at`: returns
   * false and writes nothing when it no longer does (another node took the instance over).
   */
  write(instanceId: string, changes: readonly CredentialChange[], fence: LeaseFence | null, at: Date): Promise<boolean>;
  /** Deletes every entry of the instance. A no-op when it has none. */
  wipe(instanceId: string): Promise<void>;
  /** Ids of the instances that have an entry called `name`, ordered. */
  instancesWith(name: string): Promise<string[]>;
  /** Up to `limit` entries of every instance after `after` in (instance id, name) order: re-sealing walks them all. */
  listAll(after: { readonly instanceId: string; readonly name: string } | null, limit: number): Promise<StoredCredential[]>;
  /** Replaces an entry's sealed value if it is still `expected` (a concurrent write wins); returns whether it did. */
  replace(entry: StoredCredential, sealed: SealedSecret): Promise<boolean>;
}
