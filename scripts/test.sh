#!/usr/bin/env bash
# Runs every test on a fresh machine with only Node.js 20 and npm: installs what is missing
# (pnpm, pinned; system packages the tests need; Node 24 from npm), builds every package, then runs
# vitest twice: on this machine's Node (20) and on the current LTS (Node 24, first on PATH so every
# process the tests start runs on it too). WEBLE_TEST_NODES picks the runs: "20 24" (default),
# "20" or "24". Arguments go to vitest (test files, -t ...).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
pnpm build
pnpm typecheck
pnpm lint
pnpm format:check
for run in ${WEBLE_TEST_NODES:-20 24}; do
  case "$run" in
    20)
      echo "test: vitest on $(node --version)"
      pnpm exec vitest run "$@"
      ;;
    24)
      node24=$(bash scripts/node24.sh)
      echo "test: vitest on $("$node24" --version) ($node24)"
      PATH="$(dirname "$node24"):$PATH" "$node24" node_modules/vitest/vitest.mjs run "$@"
      ;;
    *)
      echo "test: WEBLE_TEST_NODES: unknown run \"$run\" (expected 20 and/or 24)" >&2
      exit 64
      ;;
  esac
done
