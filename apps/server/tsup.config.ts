import { packageBuild } from '../../tsup.shared.js';

// An application, not a library: no type declarations.
export default packageBuild(['src/main.ts', 'src/cli.ts'], { dts: false });
