/*
 * The one vitest configuration every package extends (imported by relative path from each package's
 * vitest.config.ts). Workspace packages are read from their TypeScript source through the
 * `@whatisup/source` export condition, so tests never need a prior build.
 */
import { defineConfig, type ViteUserConfig } from 'vitest/config';

const conditions = ['@whatisup/source', 'module', 'node', 'development|production'];

export interface PackageTestOptions {
  /** Files run once before all tests (e.g. './test/global-setup.ts'). */
  readonly globalSetup?: string[];
  /** Files run in every test file's process before it (e.g. './test/setup.ts'). */
  readonly setupFiles?: string[];
  /** Slower, process-spawning suites may need more than the default. */
  readonly testTimeout?: number;
}

export function packageTestConfig(options: PackageTestOptions = {}): ViteUserConfig {
  return defineConfig({
    resolve: { conditions },
    ssr: { resolve: { conditions, externalConditions: conditions } },
    // Global setup files are loaded in vitest's own environment: give it the same conditions.
    environments: { __vitest__: { resolve: { conditions, externalConditions: conditions } } },
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      globalSetup: options.globalSetup ?? [],
      setupFiles: options.setupFiles ?? [],
      testTimeout: options.testTimeout ?? 20_000,
      hookTimeout: 60_000,
      // .ci/run sums these reports into its closing "N passed, N failed" line.
      reporters: ['default', ['json', { outputFile: '.vitest-report.json' }]],
    },
  });
}
