import { packageTestConfig } from '../../vitest.shared.js';

// The integration tests start real server processes (and Postgres clones) on a shared machine: a test waits on
// events, and the timeout is only a safety net for a hung one.
export default packageTestConfig({ globalSetup: ['./test/global-setup.ts'], testTimeout: 60_000 });
