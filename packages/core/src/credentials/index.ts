/*
 * WhatsApp credentials every node can read: sealed with SECRETS_KEY, stored per instance and entry,
 * written under the session's lease, re-sealed by `whatisup secrets rotate`.
 */
export type { CredentialChange, SessionCredentialRepository, StoredCredential } from './session-credential-repository.js';
export { createSessionCredentialStore, type SessionCredentialStore, type SessionCredentialStoreDeps } from './session-credential-store.js';
export { createResealSessionCredentials, type ResealCredentialsReport } from './reseal-session-credentials.js';
