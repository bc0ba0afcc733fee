import { defineConfig } from 'tsup';
import { packageConfig } from '../../scripts/build/package.tsup.mjs';

// index: the driver contract and runDriver(); testing: the test hub and helpers (`@weble/driver-kit/testing`).
export default defineConfig(packageConfig({ index: 'src/index.ts', testing: 'src/testing/index.ts' }));
