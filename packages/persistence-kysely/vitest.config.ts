import { packageTestConfig } from '../../vitest.shared.js';

export default packageTestConfig({ globalSetup: ['./test/global-setup.ts'], setupFiles: ['./test/setup.ts'] });
