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
  /** One entry, opened; null when absent. */
  readOne(instanceId: string, name: string): Promise<string | null>;
  /** Deletes everything stored for the instance. */
  wipe(instanceId: string): Promise<void>;
  /** Ids of the instances whose entry `name` exists. */
  instancesWith(name: string): Promise<string[]>;
}

export interface SessionCredentialStoreDeps {
  readonly repository: SessionCredentialRepository;
  readonly secretBox: SecretBox;
  readonly clock: Clock;
  /**
   * The lease fence this node's session of the instance writes under; null refuses the write (the lease is
   * not held, or no longer usable here). Absent: unfenced (the CLI moving file credentials in).
   */
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
      const fence = deps.fenceOf === undefined ? null : deps.fenceOf(instanceId);
      const refused = deps.fenceOf !== undefined && fence === null;
      if (refused || !(await repository.write(instanceId, sealed, fence, deps.clock.now()))) {
        throw new DomainError('unavailable', 'Another server runs this session now; its credentials are not written from here.');
      }
    },
    async readOne(instanceId, name) {
      const entry = await repository.find(instanceId, name);
      return entry === null ? null : secretBox.open(entry.sealed, boundTo(instanceId, name));
    },
    wipe: (instanceId) => repository.wipe(instanceId),
    instancesWith: (name) => repository.instancesWith(name),
  };
}
