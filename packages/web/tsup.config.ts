import { defineConfig } from 'tsup';
import { packageConfig } from '../../scripts/build/package.tsup.mjs';

// cli: `weble-web`, the `webserver` peer as a process the supervisor starts.
export default defineConfig(packageConfig({ index: 'src/index.ts' }, { programs: { cli: 'src/cli.ts' } }));
