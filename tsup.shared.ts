/* The one tsup configuration every package builds with (imported by relative path from each tsup.config.ts). */
import { defineConfig, type Options } from 'tsup';

export function packageBuild(entry: string[], overrides: Partial<Options> = {}) {
  return defineConfig({
    entry,
    format: ['esm'],
    target: 'node20',
    dts: true,
    sourcemap: true,
    clean: true,
    ...overrides,
  });
}
