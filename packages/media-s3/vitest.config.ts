import { defineConfig } from 'vitest/config';
import { packageTestConfig } from '../../vitest.shared.js';

/*
 * The shared configuration resolves packages under the `module` condition too; the AWS SDK maps `module`
 * to builds that import files without extensions, which Node cannot load. Here packages resolve under
 * Node's own conditions (the SDK's CommonJS builds), as they do in production.
 */
const conditions = ['@whatisup/source', 'node', 'development|production'];
const resolve = { conditions, externalConditions: conditions };

export default defineConfig({
  ...packageTestConfig(),
  resolve: { conditions },
  ssr: { resolve },
  environments: { __vitest__: { resolve }, ssr: { resolve } },
});
