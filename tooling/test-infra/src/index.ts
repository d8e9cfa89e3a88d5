export type { InfraInfo } from './infra-info.js';
export {
  createTestDatabase,
  createEmptyDatabase,
  infra,
  testRedisUrl,
  uniqueRedisPrefix,
  type TestDatabase,
} from './test-database.js';
export { describeWithRedis } from './describe-with-redis.js';
export { sleep, until, type UntilOptions } from './wait.js';
export { freePort } from './free-port.js';
export { parsePrometheusText, valueOf, type Sample } from './parse-prometheus-text.js';
export { startLocalS3Server, type LocalS3Server } from './local-s3-server.js';
