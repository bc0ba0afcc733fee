/**
 * `weble-supervisor` (entered through cli.ts): start a site, validate its site.yaml, show the status of a running
 * supervisor, hash a password for site.yaml. Exit codes: 0 ok, 1 runtime failure, 2 invalid
 * configuration, 64 usage error.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pino, { type Level, type Logger } from 'pino';
import { loadSiteConfig, type SiteResult } from './config/index.js';
import { printableConfig, problemsReport, validReport } from './config/report.js';
import { fetchStatus, type ProcessInfo } from './status-client.js';
import { table } from './status-table.js';
import {
  CONTROL_USAGE,
  controlRunner,
  logsCommand,
  processAction,
  siteSocket,
  SITE_OPTIONS,
} from './control-command.js';
import { runSupervisor } from './supervisor.js';
import { serviceNotifier } from './service/sd-notify.js';
import { COMPACT_AFTER_START_MS, compactAfterStart, optimiseFromNowOn } from './startup-tiering.js';
import {
  CONFIG_OPTION,
  configArgument,
  err,
  Exit,
  out,
  UsageError,
  type Command,
  type LoadCommand,
  type Values,
} from './cli-common.js';

const EXIT_HELP = `Exit codes:
  0   ok
  1   runtime failure (the supervisor could not start or stop, no status, no password)
  2   invalid configuration (every problem is printed, nothing is started)
  64  usage error (unknown command or option, missing argument)`;

const USAGE = `Usage: weble-supervisor <command> [options]

Runs, watches and restarts the drivers and logics of a Weble site.

Commands:
  start --config <site.yaml>                 start the site and supervise it until SIGTERM/SIGINT
  validate --config <site.yaml> [--json]     check a site.yaml; print every problem with its path
  status [--socket <path> | --config <site.yaml>] [--json]
                                             the processes of a running supervisor
  start | stop | restart <process> [--socket <path> | --config <site.yaml>]
                                             control a process of a running site
  logs <process> [--follow] [--socket <path> | --config <site.yaml>]
                                             a process's log, and its new lines with --follow
  hash-password                              read a password on stdin, print its hash for
                                             users[].passwordHash
  import-knx <export> --config <site.yaml> --gateway <id>
                                             add the group addresses of an ETS export
  config history|diff|restore --config <site.yaml>
                                             versions of site.yaml kept by runtime changes
  install-service [--config <site.yaml>] [--user <name>] [--print]
                                             write the hardened systemd unit for this install

Options: -h, --help (overall or after a command), -v, --version.
Logs are JSON lines on stdout, pretty when stdout is a terminal; level: WEBLE_LOG_LEVEL or --log-level.

${EXIT_HELP}
`;

function thisFile(): string {
  return typeof __filename === 'string' ? __filename : fileURLToPath(import.meta.url);
}

/** Every problem on stderr. */
function printProblems(file: string, result: Extract<SiteResult, { ok: false }>): void {
  err(problemsReport(file, result.details).join('\n'));
}

const LEVELS: readonly string[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * The supervisor's logger: stdout (pretty on a terminal), and the destinations added later (its log
 * file, as JSON lines). pino-pretty is loaded only for a terminal: under systemd it would cost
 * the long-lived supervisor about 10 MiB for nothing (docs/memory.md).
 */
async function createLogger(
  values: Values,
): Promise<{ logger: Logger; addStream(stream: { write(line: string): void }): void }> {
  const level = (values['log-level'] as string | undefined) ?? process.env.WEBLE_LOG_LEVEL ?? 'info';
  if (!LEVELS.includes(level)) throw new UsageError(`log level "${level}": expected one of ${LEVELS.join(', ')}`);
  const options = { name: 'weble-supervisor', level: level as Level };
  const stdout = process.stdout.isTTY
    ? (await import('pino-pretty')).default({
        colorize: true,
        sync: true,
        destination: 1,
        translateTime: 'SYS:HH:MM:ss.l',
        ignore: 'pid,hostname,name',
      })
    : pino.destination({ dest: 1, sync: true });
  // The logger filters by its level; each stream takes what it lets through.
  const streams = pino.multistream([{ stream: stdout, level: 'trace' }]);
  return { logger: pino(options, streams), addStream: (stream) => void streams.add({ stream, level: 'trace' }) };
}

async function start(values: Values): Promise<number> {
  const file = configArgument(values);
  const { logger, addStream } = await createLogger(values);
  const loaded = await loadSiteConfig(file);
  // Start-up's one-shot work is done (cli.ts held TurboFan back for it): the site runs optimised.
  optimiseFromNowOn();
  if (!loaded.ok) {
    printProblems(file, loaded);
    return Exit.INVALID_CONFIG;
  }
  // Under systemd (Type=notify): READY=1 once the site is up, watchdog heartbeats, STOPPING=1.
  const notifier = await serviceNotifier(logger);
  // Listening before the start: a SIGTERM during the start stops the site once it is up.
  const signal = firstSignal(logger);
  let supervisor: Awaited<ReturnType<typeof runSupervisor>>;
  try {
    supervisor = await runSupervisor(loaded.config, { configPath: resolve(file), logger, addLogStream: addStream });
  } catch (error) {
    logger.fatal({ err: error }, `supervisor failed to start: ${(error as Error).message}`);
    notifier.close();
    return Exit.FAILURE;
  }
  notifier.ready(
    `site up: ${loaded.config.gateways.filter((g) => g.enabled).length} gateway(s), hub ${loaded.config.hub.socket}`,
  );
  // The drivers have joined; once their first exchanges are over, start-up's garbage is compacted away.
  setTimeout(compactAfterStart, COMPACT_AFTER_START_MS).unref();
  logger.info({ signal: await signal }, 'stopping');
  notifier.stopping();
  let code: number = Exit.OK;
  try {
    await supervisor.stop();
  } catch (error) {
    logger.error({ err: error }, `stop failed: ${(error as Error).message}`);
    code = Exit.FAILURE;
  }
  logger.info({ code }, 'stopped');
  notifier.close();
  process.exit(code);
}

/** The first SIGTERM or SIGINT; a second one exits 1 at once. */
function firstSignal(logger: Logger): Promise<NodeJS.Signals> {
  return new Promise((resolveSignal) => {
    let received = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (received) {
        logger.warn({ signal }, 'second signal while stopping: exiting now');
        process.exit(Exit.FAILURE);
      }
      received = true;
      resolveSignal(signal);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}

async function validate(values: Values): Promise<number> {
  const file = configArgument(values);
  const loaded = await loadSiteConfig(file);
  if (values.json === true) {
    out(
      JSON.stringify(
        loaded.ok
          ? { valid: true, config: printableConfig(loaded.config) }
          : { valid: false, problems: loaded.details },
        null,
        2,
      ),
    );
    return loaded.ok ? Exit.OK : Exit.INVALID_CONFIG;
  }
  if (!loaded.ok) {
    printProblems(file, loaded);
    return Exit.INVALID_CONFIG;
  }
  out(validReport(file, loaded.config).join('\n'));
  return Exit.OK;
}

async function status(values: Values): Promise<number> {
  const socket = await siteSocket(values, printProblems);
  if (typeof socket === 'number') return socket;
  let processes: ProcessInfo[];
  try {
    processes = await fetchStatus(socket);
  } catch (error) {
    err(`weble-supervisor status: no status from ${socket}: ${(error as Error).message}`);
    return Exit.FAILURE;
  }
  out(values.json === true ? JSON.stringify(processes, null, 2) : table(processes));
  return Exit.OK;
}

// The one-shot commands that `start` never runs are loaded when they run (LoadCommand).
const COMMANDS: Record<string, Command | LoadCommand> = {
  start: {
    usage: `Usage: weble-supervisor start --config <site.yaml> [--log-level <level>]

Validate site.yaml (on any problem: print them all, exit 2, start nothing), then start the hub
"supervision", the core modules, one process per gateway and logic, and the web server. Runs until
SIGTERM or SIGINT, then stops every process (all at once, each SIGTERM then SIGKILL after stopTimeoutMs) and exits 0. SIGHUP re-reads site.yaml.

  -c, --config <file>     the site.yaml (relative paths inside are relative to its directory)
      --log-level <level> fatal, error, warn, info (default; or WEBLE_LOG_LEVEL), debug, trace, silent

${CONTROL_USAGE.start}`,
    options: { ...SITE_OPTIONS, 'log-level': { type: 'string' } },
    positionals: [0, 1],
    // `start <process>` starts a process of a running site; `start --config` runs the site.
    run: (values, positionals) =>
      positionals.length
        ? controlRunner((name, socket) => processAction('start', name, socket, values), printProblems)(
            values,
            positionals,
          )
        : start(values),
  },
  stop: {
    usage: CONTROL_USAGE.stop,
    options: SITE_OPTIONS,
    positionals: [1, 1],
    run: controlRunner((name, socket, values) => processAction('stop', name, socket, values), printProblems),
  },
  restart: {
    usage: CONTROL_USAGE.restart,
    options: SITE_OPTIONS,
    positionals: [1, 1],
    run: controlRunner((name, socket, values) => processAction('restart', name, socket, values), printProblems),
  },
  logs: {
    usage: CONTROL_USAGE.logs,
    options: { ...SITE_OPTIONS, follow: { type: 'boolean', short: 'f' }, lines: { type: 'string', short: 'n' } },
    positionals: [1, 1],
    run: controlRunner(logsCommand, printProblems),
  },
  validate: {
    usage: `Usage: weble-supervisor validate --config <site.yaml> [--json]

Check site.yaml without starting anything: its shape, each gateway's config and each address's point
against the gateway's driver, ids and references. Prints a summary with the resolved paths, or every
problem as "path: what was expected" (exit 2).

  -c, --config <file>  the site.yaml
      --json           print { valid, config } or { valid, problems } as JSON`,
    options: { ...CONFIG_OPTION, json: { type: 'boolean' } },
    run: validate,
  },
  status: {
    usage: `Usage: weble-supervisor status [--socket <path> | --config <site.yaml>] [--json]

Ask a running supervisor for its processes: name, state, pid, restarts, uptime, memory.

  -s, --socket <path>  the hub's UNIX socket (default ./run/supervision.sock)
  -c, --config <file>  read the socket path (hub.socket) from this site.yaml
      --json           print the processes as JSON`,
    options: { ...CONFIG_OPTION, socket: { type: 'string', short: 's' }, json: { type: 'boolean' } },
    run: status,
  },
  'hash-password': async () => (await import('./hash-password-command.js')).hashPasswordCli,
  'import-knx': async () => (await import('./import-knx-command.js')).importKnxCli,
  'install-service': async () =>
    (await import('./service/install-service.js')).installServiceCommand(join(dirname(thisFile()), '..'), out, err),
  config: async () => (await import('./config-command.js')).configCli,
};

/** The command named `name`, its code loaded if it is loaded on use; undefined if there is none. */
async function commandNamed(name: string | undefined): Promise<Command | undefined> {
  const entry = name !== undefined && Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  return typeof entry === 'function' ? entry() : entry;
}

function version(): string {
  const pkg = JSON.parse(readFileSync(join(dirname(thisFile()), '..', 'package.json'), 'utf8')) as { version?: string };
  return pkg.version ?? 'unknown';
}

function help(command: Command | undefined): string {
  return command ? `${command.usage}\n\n${EXIT_HELP}` : USAGE;
}

function usageError(message: string, command: Command | undefined): number {
  err(`weble-supervisor: ${message}\n\n${help(command)}`);
  return Exit.USAGE;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) return usageError('missing command', undefined);
  if (name === '-h' || name === '--help' || name === 'help') {
    out(help(await commandNamed(rest[0])));
    return Exit.OK;
  }
  if (name === '-v' || name === '--version') {
    out(version());
    return Exit.OK;
  }
  const command = await commandNamed(name);
  if (!command) return usageError(`unknown command "${name}"`, undefined);
  try {
    const [least, most] = command.positionals ?? [0, 0];
    const { values, positionals } = parseArgs({
      args: rest,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: most > 0,
    });
    if (values.help === true) {
      out(help(command));
      return Exit.OK;
    }
    if (positionals.length < least || positionals.length > most) {
      throw new UsageError(
        least === most
          ? `expected ${least} argument(s), got ${positionals.length}`
          : `expected ${least} to ${most} arguments, got ${positionals.length}`,
      );
    }
    // Only `start --config` (the site) keeps TurboFan held back until it has read its site.yaml.
    if (name !== 'start' || positionals.length > 0) optimiseFromNowOn();
    return await command.run(values, positionals);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (error instanceof UsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))) {
      return usageError(`${name}: ${(error as Error).message.split('. ')[0]}`, command);
    }
    throw error;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    err(`weble-supervisor: ${(error as Error).stack ?? String(error)}`);
    process.exitCode = Exit.FAILURE;
  },
);
