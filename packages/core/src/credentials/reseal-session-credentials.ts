/*
 * `whatisup secrets rotate` for WhatsApp credentials: walks every stored entry in (instance, name) order,
 * a batch at a time, and re-seals under the current SECRETS_KEY what is sealed under another key. Each
 * entry is replaced on its own and only if nobody rewrote it meanwhile (a live session's write is newer
 * and already current), so a run can be interrupted and started again.
 */
import type { SecretBox } from '../webhooks/signing/secret-box.js';
import type { SessionCredentialRepository } from './session-credential-repository.js';

export interface ResealCredentialsReport {
  readonly scanned: number;
  readonly resealed: number;
}

export function createResealSessionCredentials(deps: {
  readonly repository: SessionCredentialRepository;
  readonly secretBox: SecretBox;
  /** Entries read per batch; default 1,000. */
  readonly batchSize?: number;
}): () => Promise<ResealCredentialsReport> {
  const batchSize = deps.batchSize ?? 1_000;
  return async () => {
    let scanned = 0;
    let resealed = 0;
    let after: { instanceId: string; name: string } | null = null;
    for (;;) {
      const batch = await deps.repository.listAll(after, batchSize);
      if (batch.length === 0) break;
      for (const entry of batch) {
        scanned += 1;
        if (!deps.secretBox.needsReseal(entry.sealed)) continue;
        const sealed = deps.secretBox.reseal(entry.sealed, `${entry.instanceId}/${entry.name}`);
        if (await deps.repository.replace(entry, sealed)) resealed += 1;
      }
      const last = batch[batch.length - 1]!;
      after = { instanceId: last.instanceId, name: last.name };
    }
    return { scanned, resealed };
  };
}
