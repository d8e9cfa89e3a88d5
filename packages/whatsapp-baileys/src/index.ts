export { createBaileysSessionFactory, type BaileysSessionFactoryDeps } from './baileys-session-factory.js';
export { DEFAULT_SESSION_TUNING, type SessionTuning } from './baileys-session-options.js';
export type { BaileysSocket, BaileysSocketFactory } from './baileys-socket.js';
export type { BackoffOptions } from './reconnect-policy.js';
export { listFileCredentialInstances, readFileCredentials, setFileCredentialsAside } from './file-credentials-export.js';
