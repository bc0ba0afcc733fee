#!/usr/bin/env bash
# `pnpm bench`: the codec comparison, then the mesh benchmark (weble vs a raw UNIX socket relay,
# dnode, socket.io and Moleculer, every participant in its own process). Tables go to stdout;
# the mesh results also go to bench-results/latest.json. Takes about two to three minutes.
# BENCH_ONLY=raw,weble, BENCH_ROUNDS=n and BENCH_QUICK=1 are passed through (see bench/run.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."

# Build peers-core if its dist is missing or older than its sources: the benchmark measures dist.
core=packages/peers-core
if [ ! -f "$core/dist/index.js" ] || [ -n "$(find "$core/src" -newer "$core/dist/index.js" -print -quit)" ]; then
  echo "bench: building @weble/peers-core (dist missing or older than src)" >&2
  if ! pnpm --filter @weble/peers-core build >/dev/null; then
    [ -f "$core/dist/index.js" ] || { echo "bench: build failed and there is no dist" >&2; exit 1; }
    echo "bench: build failed; measuring the existing dist" >&2
  fi
fi

node scripts/bench/codec.mjs
node scripts/bench/run.mjs
if [ -z "${BENCH_ONLY:-}" ]; then
  pnpm --filter @weble/supervisor --filter @weble/driver-virtual --filter @weble/driver-kit build >/dev/null
  node scripts/bench/supervisor.mjs
fi
