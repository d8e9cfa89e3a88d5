import { packageBuild } from '../../tsup.shared.js';

const features = ['shared', 'tenancy', 'instances', 'events', 'sessions', 'messages', 'contacts', 'chats', 'webhooks', 'event-tokens', 'cluster', 'credentials', 'groups', 'testing'];

// One entry per subpath export; vitest stays external (a peer dependency of the test kit), so a consumer's
// contract suites register with the consumer's own vitest run.
export default packageBuild([], {
  entry: Object.fromEntries([['index', 'src/index.ts'], ...features.map((name) => [`${name}/index`, `src/${name}/index.ts`])]),
  external: ['vitest'],
});
