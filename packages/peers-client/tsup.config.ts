import { defineConfig } from 'tsup';
import { packageConfig } from '../../scripts/build/package.tsup.mjs';

// The package main (readConnectSource); the bundle itself is built by scripts/build-connect.mjs.
export default defineConfig(packageConfig({ index: 'src/index.ts' }));
