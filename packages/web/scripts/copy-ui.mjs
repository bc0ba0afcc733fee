// Build step of @weble/web: copies the built web UI (the private @weble/web-ui package's `dist/`,
// a devDependency) into `dist/ui`, so the published @weble/web serves it with no other package.
import { cpSync, existsSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const target = join(here, '..', 'dist', 'ui');
const source = join(dirname(createRequire(import.meta.url).resolve('@weble/web-ui/package.json')), 'dist');
if (!existsSync(join(source, 'index.html'))) {
  process.stderr.write(
    `copy-ui: ${source} has no index.html: build the web UI first (pnpm --filter @weble/web-ui build)\n`,
  );
  process.exit(1);
}
rmSync(target, { recursive: true, force: true });
cpSync(source, target, { recursive: true });
