#!/usr/bin/env bash
# Publishes the @weble packages whose version changesets raised (`pnpm version-packages` first):
# a clean build, the type check, every tarball checked by publint and are-the-types-wrong, then
# `changeset publish` (pnpm publish per package: workspace: ranges become the released versions,
# a git tag per package). Needs `npm login` (or NPM_TOKEN) for the @weble scope.
set -euo pipefail
cd "$(dirname "$0")/.."
pnpm install --frozen-lockfile
pnpm build
pnpm typecheck
node scripts/check-packages.mjs
pnpm exec changeset publish
