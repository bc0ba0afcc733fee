import { defineConfig } from 'tsup';
import { packageConfig } from '../../scripts/build/package.tsup.mjs';

// index, site: the web server and what a supervisor needs of it (`/site`); cli: `weble-web`, the
// `webserver` peer as a process the supervisor starts.
export default defineConfig(
  packageConfig({ index: 'src/index.ts', site: 'src/site.ts' }, { programs: { cli: 'src/cli.ts' } }),
);
