#!/usr/bin/env node
// The `weble-supervisor` bin: runs the built CLI (dist/cli.js). This launcher is a file of the
// repository, not of the build, so that `pnpm install` on a fresh clone links the bin before
// anything is built (pnpm skips a bin whose file is missing), and `pnpm exec weble-supervisor`
// works at the workspace root once `pnpm build` has run.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write(
    `weble-supervisor: ${cli.pathname} is not built yet: run \`pnpm build\` at the workspace root first\n`,
  );
  process.exit(1);
}
await import(cli.href);
