/**
 * `weble-supervisor config history|diff|restore --config site.yaml`: the versions of site.yaml
 * kept beside it by runtime changes (site.yaml.versions/, the newest 20).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { lineDiff, listVersions, readVersion, restoreVersion } from './config/site-versions.js';
import { CONFIG_OPTION, configArgument, err, out, type Command } from './cli-common.js';

/** What the command prints and returns (exit code). */
export interface ConfigCommandIo {
  out(text: string): void;
  err(text: string): void;
}

/** Usage text of the command. */
export const CONFIG_USAGE = `Usage: weble-supervisor config <history | diff [version] | restore <version>> --config <site.yaml>

The versions of site.yaml that runtime changes (insert/update/delete of gateways, addresses and
loggers) kept beside it in site.yaml.versions/ (the newest 20).

  history            list the versions, newest first (1 is the newest)
  diff [version]     the changes from a version (default 1, the newest) to the current file
  restore <version>  put a version back as site.yaml (the current file is kept as a version);
                     a running supervisor applies it on SIGHUP
  -c, --config <file>  the site.yaml`;

/** Run `config <sub> [version]`; returns the exit code (64 for usage errors). */
export function configCommand(configFile: string, positionals: string[], io: ConfigCommandIo): number {
  const file = resolve(configFile);
  const [sub, version, ...extra] = positionals;
  if (extra.length > 0) {
    io.err(`config: unexpected arguments: ${extra.join(' ')}\n${CONFIG_USAGE}`);
    return 64;
  }
  try {
    switch (sub) {
      case 'history': {
        const versions = listVersions(file);
        if (versions.length === 0) io.out(`no versions of ${file} yet (runtime changes keep them)`);
        versions.forEach((v, i) =>
          io.out(`${String(i + 1).padStart(2)}  ${v.id}  ${new Date(v.savedAt).toISOString()}  ${v.bytes} bytes`),
        );
        return 0;
      }
      case 'diff': {
        const { version: v, text } = readVersion(file, version ?? '1');
        io.out(`--- ${v.id}\n+++ ${file}`);
        io.out(
          lineDiff(text, readFileSync(file, 'utf8'))
            .filter((line) => !line.startsWith('  '))
            .join('\n') || '(no difference)',
        );
        return 0;
      }
      case 'restore': {
        if (version === undefined) {
          io.err(`config restore: which version? (see config history)\n${CONFIG_USAGE}`);
          return 64;
        }
        const v = restoreVersion(file, version);
        io.out(`restored ${v.id} as ${file}; send SIGHUP to a running supervisor to apply it`);
        return 0;
      }
      default:
        io.err(`config: expected history, diff or restore${sub ? `, got "${sub}"` : ''}\n${CONFIG_USAGE}`);
        return 64;
    }
  } catch (error) {
    io.err(`weble-supervisor config ${sub}: ${(error as Error).message}`);
    return 1;
  }
}

/** `weble-supervisor config` (loaded by the CLI when it runs). */
export const configCli: Command = {
  usage: CONFIG_USAGE,
  options: { ...CONFIG_OPTION },
  positionals: [0, Number.POSITIVE_INFINITY], // configCommand checks its own arguments
  run: async (values, positionals) => configCommand(configArgument(values), positionals, { out, err }),
};
