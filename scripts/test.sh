#!/usr/bin/env bash
# Runs every test on a fresh machine with only Node.js 20 and npm: installs what is missing
# (pnpm, pinned; system packages the tests need), builds every package, then runs vitest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
pnpm build
pnpm typecheck
pnpm lint
pnpm exec vitest run "$@"
