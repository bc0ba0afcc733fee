// Packs every publishable package (scripts/packed-packages.mjs) and checks each tarball with
// publint (package.json fields, exports, files) and are-the-types-wrong (types that resolve for
// import and require). Exit 1 listing the packages that fail. Usage: node scripts/check-packages.mjs [dir]
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packAll, ROOT } from './packed-packages.mjs';

/**
 * Exports named as files (`./sim/demo.mjs`, `./sim/pty-pair.mjs`, the browser bundle
 * `./connect.js`) are ESM scripts and test helpers, not the package's dual entry points: attw
 * leaves them out. Engines say node >= 20, hence the `node16` profile (no node10 subpaths).
 */
function scriptEntrypoints(dir) {
  const { exports = {} } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const scripts = Object.keys(exports).filter((key) => /\.m?js$/.test(key));
  return scripts.length === 0 ? [] : ['--exclude-entrypoints', ...scripts];
}

/**
 * `require('@weble/peers-core')` is the factory function (`module.exports =`, typed `export =` in
 * index.d.cts, OK under node16 from CJS and ESM); attw also pairs the top-level `types` (ESM) with
 * `main` (CJS) the way node10 would and reports that pair without a resolution kind, so the
 * node16 profile does not filter it.
 */
const NODE10_PAIRING = { '@weble/peers-core': ['--ignore-rules', 'false-export-default', 'false-esm'] };

/** One tool over one tarball: undefined when it passes, else `name: tool failed` and its output. */
function runTool(pkg, tool, args) {
  return new Promise((resolve) => {
    execFile(
      join(ROOT, 'node_modules', '.bin', tool),
      args,
      { cwd: ROOT, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        resolve(error ? `${pkg.name}: ${tool} failed\n${stdout}${stderr}` : undefined);
      },
    );
  });
}

/** Run publint and attw over the tarballs, `concurrency` runs at a time; the failures as `name: tool output`. */
export async function checkTarballs(packed, { concurrency = 2 } = {}) {
  const runs = packed.flatMap((pkg) => [
    () => runTool(pkg, 'publint', ['--strict', pkg.tarball]),
    () =>
      runTool(pkg, 'attw', [
        pkg.tarball,
        '--profile',
        'node16',
        '--format',
        'table-flipped',
        '--no-emoji',
        ...(NODE10_PAIRING[pkg.name] ?? []),
        ...scriptEntrypoints(pkg.dir),
      ]),
  ]);
  const failures = [];
  const worker = async () => {
    for (let run = runs.shift(); run; run = runs.shift()) {
      const failure = await run();
      if (failure) failures.push(failure);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return failures.sort();
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const dir = process.argv[2] ?? mkdtempSync(join(tmpdir(), 'weble-pack-'));
  try {
    const packed = await packAll(dir);
    const failures = await checkTarballs(packed);
    for (const failure of failures) process.stderr.write(`${failure}\n`);
    process.stdout.write(
      `${packed.length - new Set(failures.map((f) => f.split(':')[0])).size}/${packed.length} packages pass publint and attw\n`,
    );
    process.exitCode = failures.length === 0 ? 0 : 1;
  } finally {
    if (process.argv[2] === undefined) rmSync(dir, { recursive: true, force: true });
  }
}
