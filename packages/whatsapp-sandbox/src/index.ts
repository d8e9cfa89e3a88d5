export { SANDBOX_COUNTRY_CODE, sandboxPhoneNumber } from './sandbox-phone-number.js';
export {
  createInMemorySandboxCredentialStore,
  createInstanceRowSandboxCredentialStore,
  type SandboxCredentialStore,
} from './sandbox-credential-store.js';
export { createSandboxSession, type SandboxSessionDeps, type SandboxTimings } from './sandbox-session.js';
export {
  createSandboxSessionFactory,
  DEFAULT_SANDBOX_TIMINGS,
  type SandboxSessionFactoryDeps,
} from './sandbox-session-factory.js';
export type { SandboxMessageSource } from './replay-owed-receipts.js';
