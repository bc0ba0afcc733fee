#!/usr/bin/env bash
# Idempotent set-up: the pinned pnpm (from npm), the workspace's dependencies (frozen lockfile),
# and the system tools the tests use. Safe to run again and again.
set -euo pipefail
cd "$(dirname "$0")/.."
PNPM_VERSION=$(node -p "require('./package.json').packageManager.split('@')[1]")
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "$PNPM_VERSION" ]; then
  echo "setup: installing pnpm@$PNPM_VERSION from npm"
  npm install --global --no-fund --no-audit "pnpm@$PNPM_VERSION" >/dev/null
fi
if ! command -v openssl >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq openssl >/dev/null
fi
# Debian's Chromium for the browser tests (driven by playwright-core; never a downloaded browser).
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing Debian chromium for the browser tests"
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "setup: chromium is missing and cannot be installed here (needs root and apt-get); browser tests will fail" >&2
  fi
fi
pnpm install --frozen-lockfile --reporter=silent
