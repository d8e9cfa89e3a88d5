/*
 * WhatsApp credentials as the session adapters see them: named JSON texts per instance, sealed with the
 * secret box (AES-256-GCM under SECRETS_KEY, bound to `<instance id>/<name>` so a value copied onto another
 * row or instance fails to open) before they reach the repository. Writes carry the lease fence of the
 * instance's session on this node, so a node that lost the instance cannot overwrite the new owner's keys.
 */
import { DomainError, type Clock } from '../shared/index.js';
import type { LeaseFence } from '../cluster/index.js';
import type { SecretBox } from '../webhooks/signing/secret-box.js';
import type { SessionCredentialRepository } from './session-credential-repository.js';

export interface SessionCredentialStore {
  /** Every entry of the instance, opened: name → JSON text. Empty when none. Throws when one cannot be opened. */
  read(instanceId: string): Promise<Map<string, string>>;
  /**
   * Writes the changes (null deletes) in one transaction. Throws DomainError('unavailable') when this node
   * no longer holds the instance's lease: nothing was written.
   */
  write(instanceId: string, changes: ReadonlyMap<string, string | null>): Promise<void>;
  /** Deletes everything stored for the instance. */
  wipe(instanceId: string): Promise<void>;
  /** Ids of the instances whose entry `name` exists. */
  instancesWith(name: string): Promise<string[]>;
}

export interface SessionCredentialStoreDeps {
  readonly repository: SessionCredentialRepository;
  readonly secretBox: SecretBox;
  readonly clock: Clock;
  /** The lease fence this node's session of the instance writes under; absent or null: unfenced (one node, the CLI). */
  readonly fenceOf?: (instanceId: string) => LeaseFence | null;
}

export function createSessionCredentialStore(deps: SessionCredentialStoreDeps): SessionCredentialStore {
  const { repository, secretBox } = deps;
  const boundTo = (instanceId: string, name: string) => `${instanceId}/${name}`;
  return {
    async read(instanceId) {
      const entries = await repository.list(instanceId);
      return new Map(entries.map((entry) => [entry.name, secretBox.open(entry.sealed, boundTo(instanceId, entry.name))]));
    },
    async write(instanceId, changes) {
      const sealed = [...changes].map(([name, text]) => ({ name, sealed: text === null ? null : secretBox.seal(text, boundTo(instanceId, name)) }));
      const fence = deps.fenceOf?.(instanceId) ?? null;
      if (!(await repository.write(instanceId, sealed, fence, deps.clock.now()))) {
        throw new DomainError('unavailable', 'Another server runs this session now; its credentials are not written from here.');
      }
    },
    wipe: (instanceId) => repository.wipe(instanceId),
    instancesWith: (name) => repository.instancesWith(name),
  };
}
