/**
 * `loadSiteConfig`: read site.yaml, parse the YAML, validate it. Never throws for a bad file:
 * an unreadable file, YAML syntax errors and invalid content all come back as problems.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { defaultDriverCatalog, type DriverCatalog } from './driver-catalog.js';
import { validateSite, type SiteProblem, type SiteResult } from './validate.js';
import { parseYaml } from './yaml-source.js';

function failed(details: SiteProblem[]): SiteResult {
  return { ok: false, problems: details.map((detail) => detail.text), details };
}

/**
 * Load and validate the site.yaml at `file`. Relative paths inside are resolved against the
 * file's directory; drivers come from `catalog` (default: {@link defaultDriverCatalog} of that
 * directory). On failure, `problems` holds every problem as `path: what was expected`, YAML
 * syntax errors as `line L, column C: message`.
 */
export async function loadSiteConfig(file: string, catalog?: DriverCatalog): Promise<SiteResult> {
  const path = resolve(file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EACCES'
          ? 'permission denied'
          : code === 'EISDIR'
            ? 'is a directory'
            : (error as Error).message;
    const message = `cannot read ${path}: ${reason}`;
    return failed([{ path: '(file)', message, text: message }]);
  }
  const parsed = parseYaml(text);
  if (!parsed.ok) {
    return failed(
      parsed.errors.map(({ line, column, message }) => ({
        path: '(yaml)',
        message: `YAML syntax: ${message}`,
        line,
        column,
        text: `line ${line}, column ${column}: YAML syntax: ${message}`,
      })),
    );
  }
  if (parsed.source.data === null || parsed.source.data === undefined) {
    const message = 'the file is empty (expected at least gateways, or hub, users, logics...)';
    return failed([{ path: '(root)', message, text: `(root): ${message}` }]);
  }
  const baseDir = dirname(path);
  return validateSite(parsed.source.data, {
    baseDir,
    catalog: catalog ?? defaultDriverCatalog(baseDir),
    locate: parsed.source.locate,
  });
}
