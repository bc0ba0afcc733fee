#!/usr/bin/env bash
# `pnpm bench`: every benchmark of the project, each against a baseline measured in the same run:
# the codec (msgpackr vs JSON), the mesh (weble vs a raw UNIX socket relay, dnode, socket.io and
# Moleculer, every participant in its own process), the supervisor (50 virtual gateways vs bare
# node processes), Modbus (request planning vs the optimum and one request per point; poll cycle
# vs pymodbus), BACnet (RPM batching vs one ReadProperty per point), KNX (decode vs knxultimate's codec;
# knxtool write -> mesh listener vs a bare knxultimate client), the web UI (first paint vs a static page),
# the loggers (store ingest vs bare better-sqlite3, a year to 1,000 points, bytes per value, round
# trip while logging vs a site without logger), the alarms (the hub's value throughput and CPU per
# value with 1,000 alarms vs the same site without), the northbound MQTT bridge (values/s from a driver, latency and
# replay vs a bare MQTT.js publisher loop). Each prints its tables, then
# one summary table of all of them. The mesh results also go to bench-results/latest.json.
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

export BENCH_SINCE=$(($(date +%s) * 1000))
node scripts/bench/codec.mjs
node scripts/bench/run.mjs
if [ -z "${BENCH_ONLY:-}" ]; then
  pnpm --filter '@weble/supervisor...' build >/dev/null
  node scripts/bench/supervisor.mjs
  node scripts/bench/loggers.mjs
  node scripts/bench/alarms.mjs
  node scripts/bench/modbus.mjs
  node scripts/bench/bacnet.mjs
  if command -v knxd >/dev/null 2>&1 && command -v knxtool >/dev/null 2>&1; then
    node scripts/bench/knx.mjs
  else
    echo "bench: knx left out (knxd/knxtool missing: apt-get install knxd knxd-tools)" >&2
  fi
  node scripts/bench/web-ui.mjs
  node scripts/bench/northbound.mjs
  node packages/peers-core/scripts/bench-federation.mjs
fi
node scripts/bench/summary.mjs
