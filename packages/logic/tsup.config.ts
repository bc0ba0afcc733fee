import { defineConfig } from 'tsup';
import { packageConfig } from '../../scripts/build/package.tsup.mjs';

export default defineConfig(packageConfig({ index: 'src/index.ts' }));
