import { createGlobalSetup } from '@whatisup/test-infra/global-setup';

// Replaced by the real migration runner once it exists (same package).
export default createGlobalSetup({ postgres: true, redis: true });
