import { packageBuild } from '../../tsup.shared.js';

// Two entries: the client, and webhook verification on its own (a receiver needs nothing else). The code uses
// only what Node 20 and browsers share (fetch, Web Crypto, streams), so it is built for a neutral platform;
// @whatisup/core is imported for its types only and never appears in the output.
export default packageBuild([], {
  entry: { index: 'src/index.ts', 'webhooks/index': 'src/webhooks/index.ts' },
  platform: 'neutral',
  target: 'es2022',
});
