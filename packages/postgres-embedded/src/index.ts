export {
  startEmbeddedPostgres,
  type EmbeddedPostgres,
  type EmbeddedPostgresOptions,
} from './start-embedded-postgres.js';
export type { EmbeddedPostgresLogger } from './embedded-postgres-logger.js';
