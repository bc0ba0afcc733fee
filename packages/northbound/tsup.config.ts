import { defineConfig } from 'tsup';
import { packageConfig } from '../../scripts/build/package.tsup.mjs';

// index, site: the bridge and its site config (`/site`); cli: the process the supervisor starts per `northbound:` entry.
export default defineConfig(
  packageConfig({ index: 'src/index.ts', site: 'src/site.ts' }, { programs: { cli: 'src/cli.ts' } }),
);
