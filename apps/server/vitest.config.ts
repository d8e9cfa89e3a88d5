import { packageTestConfig } from '../../vitest.shared.js';

// These tests spawn real server processes (and Postgres clones) on a 2-core machine: a test waits on events,
// and the timeout is only a safety net for a hung one, so it leaves room for a loaded machine.
export default packageTestConfig({ globalSetup: ['./test/global-setup.ts'], testTimeout: 60_000 });
