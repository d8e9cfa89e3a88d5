import { createGlobalSetup } from '@whatisup/test-infra/global-setup';

export default createGlobalSetup({ redis: true });
