import { createGlobalSetup } from '@whatisup/test-infra/global-setup';

// The tests start real servers, which migrate their own (empty, cloned) database at start as production does.
export default createGlobalSetup({ postgres: true, redis: true });
