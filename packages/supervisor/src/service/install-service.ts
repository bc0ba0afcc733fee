/**
 * `weble-supervisor install-service`: the systemd unit shipped in this package
 * (`systemd/weble.service`) written for this install: ExecStart runs the absolute path of the
 * node binary running this command and the absolute path of this package's bin (never
 * /usr/bin/env and PATH), on the given site.yaml, as the given user (created when missing, as a
 * system user without login). Then it says what to do next. `--print` writes nothing.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { CodedError } from '@weble/peers-core';
import { Exit, UsageError, type Command, type Values } from '../cli-common.js';

/** The directory systemd makes for `StateDirectory=weble`: the site lives there by default. */
export const SERVICE_STATE_DIR = '/var/lib/weble';
const DEFAULT_UNIT_FILE = '/etc/systemd/system/weble.service';
/** Hidden from the service by ProtectHome= and PrivateTmp=: nothing it runs or reads may live there. */
const HIDDEN_FROM_SERVICE = ['/home', '/root', '/run/user', '/tmp', '/var/tmp'];

export const INSTALL_SERVICE_USAGE = `Usage: weble-supervisor install-service [--config <site.yaml>] [--user <name>] [--unit-file <path>] [--print]

Write the systemd unit of this package (systemd/weble.service, hardened: docs/operations.md) for
this install: ExecStart is this node binary and this package's bin by their absolute paths. Creates
the service user (a system user without login) when missing. Needs root unless --print.

  -c, --config <file>     the site.yaml (default ${SERVICE_STATE_DIR}/site.yaml, the service's
                          state directory); another directory is made writable for the service
                          (ReadWritePaths=) and given to the user
  -u, --user <name>       the service user and group (default weble)
      --unit-file <path>  where to write the unit (default ${DEFAULT_UNIT_FILE})
      --print             print the unit on stdout; change nothing`;

export interface InstallServiceContext {
  /** The root of this package (where `bin/` and `systemd/` are). */
  packageRoot: string;
  out(text: string): void;
  err(text: string): void;
}

/** The codes of `install-service`'s refusals (packages/supervisor/README.md). */
export const INSTALL_SERVICE_CODES = [
  'SERVICE_PATH_HIDDEN',
  'SERVICE_NOT_ROOT',
  'SERVICE_USER_FAILED',
  'SERVICE_WRITE_FAILED',
] as const;

/** Why `install-service` refused (exit 1). */
export class InstallServiceError extends CodedError<(typeof INSTALL_SERVICE_CODES)[number]> {
  override name = 'InstallServiceError';
}

/** A path or word as one argument of a unit's command line (quoted, `%` and `$` escaped). */
function unitArgument(value: string): string {
  const escaped = value.replaceAll('%', '%%').replaceAll('$', '$$$$');
  return /^[\w@+=:,./-]+$/.test(escaped) ? escaped : `"${escaped.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

/** Refuse a path the hardened service cannot see (ProtectHome=, PrivateTmp=). */
function checkVisible(what: string, path: string): void {
  const hidden = HIDDEN_FROM_SERVICE.find((dir) => path === dir || path.startsWith(`${dir}/`));
  if (hidden) {
    throw new InstallServiceError(
      'SERVICE_PATH_HIDDEN',
      `${what} ${path} is under ${hidden}, which the service cannot see (ProtectHome=yes, PrivateTmp=yes): ` +
        `install Node and @weble/supervisor, and keep the site, elsewhere (e.g. npm install --global, site in ${SERVICE_STATE_DIR})`,
    );
  }
}

export interface UnitChoices {
  node: string;
  bin: string;
  config: string;
  user: string;
}

/** The shipped unit with this install's paths, user and site directory. */
export function renderUnit(template: string, choices: UnitChoices): string {
  const { node, bin, config, user } = choices;
  const siteDir = dirname(config);
  const command = (sub: string): string => [node, bin, sub, '--config', config].map(unitArgument).join(' ');
  const lines = template.split('\n').map((line) => {
    if (line.startsWith('ExecStartPre=')) return `ExecStartPre=${command('validate')}`;
    if (line.startsWith('ExecStart=')) return `ExecStart=${command('start')}`;
    if (line.startsWith('WorkingDirectory=')) return `WorkingDirectory=${siteDir.replaceAll('%', '%%')}`; // taken literally: no quotes
    if (line.startsWith('User=')) return `User=${user}`;
    if (line.startsWith('Group=')) return `Group=${user}`;
    // Runtime changes are written back to site.yaml (and its versions beside it).
    if (line.startsWith('ProtectSystem=') && siteDir !== SERVICE_STATE_DIR)
      return `${line}\nReadWritePaths=${unitArgument(siteDir)}`;
    return line;
  });
  return lines.join('\n');
}

function userExists(user: string): boolean {
  try {
    execFileSync('id', ['-u', user], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function createUser(user: string): void {
  try {
    execFileSync(
      'useradd',
      [
        '--system',
        '--user-group',
        '--home-dir',
        SERVICE_STATE_DIR,
        '--no-create-home',
        '--shell',
        '/usr/sbin/nologin',
        user,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    throw new InstallServiceError(
      'SERVICE_USER_FAILED',
      `could not create the user ${user} with useradd: ${stderr || (error as Error).message}`,
    );
  }
}

/** The command: render, then (unless --print) create the user, write the unit, say what is next. */
export function installService(values: Values, context: InstallServiceContext): number {
  const user = typeof values.user === 'string' ? values.user : 'weble';
  if (!/^[a-z_][a-z0-9_-]{0,31}$/.test(user))
    throw new UsageError(`--user "${user}": expected a system user name (lower-case letters, digits, _ and -)`);
  const config = resolve(typeof values.config === 'string' ? values.config : join(SERVICE_STATE_DIR, 'site.yaml'));
  const unitFile = typeof values['unit-file'] === 'string' ? resolve(values['unit-file']) : DEFAULT_UNIT_FILE;
  const node = realpathSync(process.execPath);
  const bin = realpathSync(join(context.packageRoot, 'bin', 'weble-supervisor.mjs'));
  checkVisible('the node binary', node);
  checkVisible('the weble-supervisor bin', bin);
  checkVisible('the site.yaml', config);
  if (!isAbsolute(node) || !isAbsolute(bin))
    throw new InstallServiceError('SERVICE_PATH_HIDDEN', 'the node binary and the bin need absolute paths');
  const unit = renderUnit(readFileSync(join(context.packageRoot, 'systemd', 'weble.service'), 'utf8'), {
    node,
    bin,
    config,
    user,
  });
  if (values.print === true) {
    context.out(unit.trimEnd());
    return Exit.OK;
  }
  if (process.getuid?.() !== 0)
    throw new InstallServiceError(
      'SERVICE_NOT_ROOT',
      'install-service writes to /etc and creates a user: run it as root (or use --print)',
    );
  const created = !userExists(user);
  if (created) createUser(user);
  try {
    writeFileSync(unitFile, unit, { mode: 0o644 });
  } catch (error) {
    throw new InstallServiceError('SERVICE_WRITE_FAILED', `could not write ${unitFile}: ${(error as Error).message}`);
  }
  const siteDir = dirname(config);
  // systemd makes and owns the state directory; another site directory is given to the user here.
  if (siteDir !== SERVICE_STATE_DIR && existsSync(siteDir)) {
    const uid = Number(execFileSync('id', ['-u', user]).toString());
    const gid = Number(execFileSync('id', ['-g', user]).toString());
    chownSync(siteDir, uid, gid);
    if (existsSync(config)) chownSync(config, uid, gid);
  }
  const name = unitFile.replace(/^.*\//, '').replace(/\.service$/, '');
  const cli = `${node} ${bin}`;
  context.out(
    [
      `wrote ${unitFile} (${node} ${bin})`,
      created ? `created the system user ${user}` : `the user ${user} exists (kept as it is)`,
      '',
      'Next:',
      ...(existsSync(config)
        ? []
        : [`  put the site's site.yaml at ${config} (hub.socket may be left out: /run/weble/supervision.sock)`]),
      `  ${cli} validate --config ${config}`,
      `  systemctl daemon-reload && systemctl enable --now ${name}`,
      `  systemctl status ${name}; journalctl -u ${name} -f     (drivers: journalctl -u ${name} -t driver_<type>_<id>)`,
      `  sudo -u ${user} ${cli} status --socket /run/weble/supervision.sock`,
    ].join('\n'),
  );
  return Exit.OK;
}

export const installServiceCommand = (
  packageRoot: string,
  out: (text: string) => void,
  err: (text: string) => void,
): Command => ({
  usage: INSTALL_SERVICE_USAGE,
  options: {
    config: { type: 'string', short: 'c' },
    user: { type: 'string', short: 'u' },
    'unit-file': { type: 'string' },
    print: { type: 'boolean' },
  },
  run: async (values) => {
    try {
      return installService(values, { packageRoot, out, err });
    } catch (error) {
      if (!(error instanceof InstallServiceError)) throw error;
      err(`weble-supervisor install-service: ${error.code}: ${error.message}`);
      return Exit.FAILURE;
    }
  },
});
