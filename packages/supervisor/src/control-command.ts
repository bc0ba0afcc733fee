/**
 * `weble-supervisor start | stop | restart <process>` and `logs <process> [--follow]` against a
 * running site, over its hub socket (as the site's own peer, `cli_<user>_<pid>`: the 0600 socket
 * is the site's, so the role table does not limit it; the audit trail names it). `start` and
 * `restart` wait until the process is up (or has failed) and say so.
 */
import { resolve } from 'node:path';
import type { Peers } from '@weble/peers-core';
import { loadSiteConfig, type SiteResult } from './config/index.js';
import { err, Exit, out, UsageError, type Values } from './cli-common.js';
import { withSite } from './site-client.js';
import type { ProcessInfo } from './status-client.js';

/** The hub socket: `--socket`, else `hub.socket` of `--config`, else ./run/supervision.sock; or the exit code of an invalid site.yaml. */
export async function siteSocket(
  values: Values,
  printProblems: (file: string, result: Extract<SiteResult, { ok: false }>) => void,
): Promise<string | number> {
  if (values.socket !== undefined && values.config !== undefined)
    throw new UsageError('give --socket or --config, not both');
  if (typeof values.config === 'string') {
    const loaded = await loadSiteConfig(values.config);
    if (!loaded.ok) {
      printProblems(values.config, loaded);
      return Exit.INVALID_CONFIG;
    }
    return loaded.config.hub.socket;
  }
  return resolve(typeof values.socket === 'string' ? values.socket : 'run/supervision.sock');
}

function timeoutOf(values: Values): number {
  if (values.timeout === undefined) return 60_000;
  const seconds = Number(values.timeout);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new UsageError(`--timeout: expected seconds > 0, got "${String(values.timeout)}"`);
  return seconds * 1000;
}

type Action = 'start' | 'stop' | 'restart';
const SETTLED: Record<Action, ReadonlySet<string>> = {
  start: new Set(['up', 'failed', 'backoff']),
  restart: new Set(['up', 'failed', 'backoff']),
  stop: new Set(['stopped', 'failed']),
};

const find = async (peers: Peers, name: string): Promise<ProcessInfo | undefined> =>
  ((await peers('supervision').call('system', 'list', []))[0] as ProcessInfo[]).find((p) => p.name === name);

/** Run `action` on process `name` and wait until it has settled; exit 0 when it is where it was asked to go. */
export async function processAction(action: Action, name: string, socket: string, values: Values): Promise<number> {
  const timeoutMs = timeoutOf(values);
  try {
    const state = await withSite(socket, timeoutMs, async (peers) => {
      const system = await peers('supervision').require('system');
      let settle: (state: string) => void = () => {};
      const settled = new Promise<string>((r) => (settle = r));
      // Listening before the action: its state changes are not missed.
      const onState = (process: string, state: string): void => {
        if (process === name && SETTLED[action].has(state)) settle(state);
      };
      system.on('processState', onState);
      await peers('supervision').call('system', action, [name], { timeoutMs });
      // The call answers once the old process is gone: a settled state now is the new one's.
      const now = await find(peers, name);
      if (now && SETTLED[action].has(now.state)) settle(now.state);
      const timer = setTimeout(() => settle(`still ${now?.state ?? 'unknown'} after ${timeoutMs / 1000} s`), timeoutMs);
      const final = await settled;
      clearTimeout(timer);
      system.removeListener('processState', onState);
      return final;
    });
    const ok = state === (action === 'stop' ? 'stopped' : 'up');
    (ok ? out : err)(`${name}: ${action} ${ok ? 'done' : 'failed'}: ${state}`);
    return ok ? Exit.OK : Exit.FAILURE;
  } catch (error) {
    const e = error as Error & { code?: string };
    err(`weble-supervisor ${action} ${name}: ${e.code ? `${e.code}: ` : ''}${e.message}`);
    return Exit.FAILURE;
  }
}

/** The last lines that `after` repeats at its start (the tail and the first followed lines overlap). */
function overlap(tail: readonly string[], after: readonly string[]): number {
  for (let k = Math.min(tail.length, after.length); k > 0; k--) {
    if (after.slice(0, k).every((line, i) => line === tail[tail.length - k + i])) return k;
  }
  return 0;
}

/** Print the last lines of a process's log; with `--follow`, then every new line until SIGINT/SIGTERM. */
export async function logsCommand(name: string, socket: string, values: Values): Promise<number> {
  const lines = values.lines === undefined ? 100 : Number(values.lines);
  if (!Number.isInteger(lines) || lines < 1 || lines > 1000)
    throw new UsageError(`--lines: expected an integer from 1 to 1000, got "${String(values.lines)}"`);
  try {
    await withSite(socket, timeoutOf(values), async (peers) => {
      const system = await peers('supervision').require('system');
      let early: string[] | undefined = values.follow === true ? [] : undefined;
      const onLines = (batch: string[]): void => {
        if (early) early.push(...batch);
        else out(batch.join('\n'));
      };
      // Followed before the tail is read, so no line falls between; the overlap is printed once.
      if (values.follow === true) system.on(`log ${name}`, onLines);
      const [tail] = (await peers('supervision').call('system', 'logTail', [name, lines])) as [string[]];
      if (tail.length) out(tail.join('\n'));
      if (values.follow !== true) return;
      const pending = early ?? [];
      early = undefined;
      const rest = pending.slice(overlap(tail, pending));
      if (rest.length) out(rest.join('\n'));
      await new Promise<void>((done) => {
        process.once('SIGINT', () => done());
        process.once('SIGTERM', () => done());
        peers.once('disconnect supervision', () => {
          err(`weble-supervisor logs: the supervisor went away`);
          done();
        });
      });
      system.removeListener(`log ${name}`, onLines);
    });
    return Exit.OK;
  } catch (error) {
    const e = error as Error & { code?: string };
    err(`weble-supervisor logs ${name}: ${e.code ? `${e.code}: ` : ''}${e.message}`);
    return Exit.FAILURE;
  }
}

const SOCKET_HELP = `  -s, --socket <path>   the hub's UNIX socket (default ./run/supervision.sock)
  -c, --config <file>   read the socket path (hub.socket) from this site.yaml`;

export const CONTROL_USAGE = {
  start: `Usage: weble-supervisor start <process> [--socket <path> | --config <site.yaml>] [--timeout <s>]

Start a stopped process of a running site and wait until it is up (exit 0) or failed (exit 1).
(Without <process>, \`start --config <site.yaml>\` runs the site itself: see above.)

${SOCKET_HELP}
      --timeout <s>     wait at most this long (default 60)`,
  stop: `Usage: weble-supervisor stop <process> [--socket <path> | --config <site.yaml>] [--timeout <s>]

Stop a process of a running site (it stays stopped until started); exit 0 once it has stopped.

${SOCKET_HELP}
      --timeout <s>     wait at most this long (default 60)`,
  restart: `Usage: weble-supervisor restart <process> [--socket <path> | --config <site.yaml>] [--timeout <s>]

Restart a process of a running site and wait until it is up again (exit 0) or failed (exit 1).

${SOCKET_HELP}
      --timeout <s>     wait at most this long (default 60)`,
  logs: `Usage: weble-supervisor logs <process> [--follow] [--lines <n>] [--socket <path> | --config <site.yaml>]

Print the last lines of a process's log (its stdout and stderr); with --follow, then every new
line until Ctrl-C.

${SOCKET_HELP}
  -f, --follow          keep printing new lines
  -n, --lines <n>       how many lines first (1-1000, default 100)`,
} as const;

export const SITE_OPTIONS = {
  config: { type: 'string', short: 'c' },
  socket: { type: 'string', short: 's' },
  timeout: { type: 'string' },
} as const;

/** Runs a control command on the site's socket. */
export function controlRunner(
  run: (name: string, socket: string, values: Values) => Promise<number>,
  printProblems: Parameters<typeof siteSocket>[1],
) {
  return async (values: Values, [name]: string[]): Promise<number> => {
    const socket = await siteSocket(values, printProblems);
    return typeof socket === 'number' ? socket : run(name!, socket, values);
  };
}
