// The publishable packages of the workspace (every non-private package under packages/ and
// drivers/) and `packAll`: one `pnpm pack` per package into a directory, which rewrites the
// `workspace:` ranges to the versions they point at, exactly as `pnpm publish` would.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

/** `{ name, version, dir }` of every package that is published. */
export function publishablePackages() {
  const found = [];
  for (const group of ['packages', 'drivers']) {
    for (const entry of readdirSync(join(ROOT, group), { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const dir = join(ROOT, group, entry.name);
      let manifest;
      try {
        manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      } catch {
        continue;
      }
      if (manifest.private !== true) found.push({ name: manifest.name, version: manifest.version, dir });
    }
  }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}

/** Pack every publishable package into `outDir` (two at a time); each with the absolute path of its tarball. */
export async function packAll(outDir) {
  const pending = publishablePackages();
  const packed = [];
  const worker = async () => {
    for (let pkg = pending.shift(); pkg; pkg = pending.shift()) {
      const { stdout } = await promisify(execFile)('pnpm', ['pack', '--pack-destination', outDir], {
        cwd: pkg.dir,
        encoding: 'utf8',
      });
      packed.push({ ...pkg, tarball: resolve(outDir, stdout.trim().split('\n').at(-1).trim()) });
    }
  };
  await Promise.all([worker(), worker()]);
  return packed.sort((a, b) => a.name.localeCompare(b.name));
}
