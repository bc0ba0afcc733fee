/**
 * How a logic script is run: JavaScript with plain node; TypeScript (`.ts`, `.mts`, `.cts`)
 * through tsx's loader (esbuild, no type check: types are the editor's and `tsc`'s job), so an
 * integrator edits `logics/thermostat.ts` and restarts it without a build step.
 */
import { createRequire } from 'node:module';
import { extname } from 'node:path';
import { pathToFileURL } from 'node:url';

const TYPESCRIPT = new Set(['.ts', '.mts', '.cts']);

/** The node arguments that run `file`; `loader` is tsx's entry (resolved from this package). */
export function logicArgs(file: string, loader: () => string = tsxLoader): string[] {
  return TYPESCRIPT.has(extname(file).toLowerCase()) ? ['--import', pathToFileURL(loader()).href, file] : [file];
}

function tsxLoader(): string {
  return createRequire(import.meta.url).resolve('tsx');
}
