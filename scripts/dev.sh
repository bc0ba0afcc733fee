#!/usr/bin/env bash
# Boots the demo mesh on a fresh machine with only Node.js 20 and npm: set-up, build, run.
set -euo pipefail
cd "$(dirname "$0")/.."
WEBLE_SETUP_NODE24=0 bash scripts/setup.sh
pnpm build
exec node scripts/dev.mjs
