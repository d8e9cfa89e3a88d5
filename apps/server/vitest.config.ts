import type { ViteUserConfig } from 'vitest/config';
import { packageTestConfig } from '../../vitest.shared.js';

// These tests spawn real server processes (and Postgres clones) on a 2-core machine: a test waits on events,
// and the timeout is only a safety net for a hung one, so it leaves room for a loaded machine.
const config = packageTestConfig({ globalSetup: ['./test/global-setup.ts'], setupFiles: ['./test/setup.ts'], testTimeout: 60_000 });

// OpenTelemetry's `module` builds import without file extensions, which Node's ESM loader refuses: resolve
// without the `module` condition here, so they load as the built server loads them (their CommonJS builds).
const conditions = ['@whatisup/source', 'node', 'development|production'];
const withoutModuleCondition: ViteUserConfig = {
  ...config,
  resolve: { ...config.resolve, conditions },
  ssr: { resolve: { conditions, externalConditions: conditions } },
};
export default withoutModuleCondition;
