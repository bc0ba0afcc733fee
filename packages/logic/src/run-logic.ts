/**
 * `runLogic(main)`: the whole life of a logic script, the same for every logic. The supervisor
 * starts the script as a child with `WEBLE_HUB` and `WEBLE_PEER_NAME` (`logic_<name>`); the kit
 * joins the mesh under that name, waits for the hub peer `supervision`, and calls `main` once with
 * the peers API. Listeners and required modules survive hub reconnects (peers-core replays them),
 * so `main` never runs twice in one process. SIGTERM, SIGINT or the parent's death stop the logic
 * cleanly (exit 0); a throw in `main` or an unhandled error exits 1 and the supervisor restarts it.
 */
import { watchParent } from '@weble/driver-kit';
import createPeers, { type Peers } from '@weble/peers-core';
import pino, { type Logger } from 'pino';

/** The hub peer every logic talks to; it hosts `gateways`, `system` and `routes`. */
export const HUB_PEER = 'supervision';

/** Exit codes of a logic process. */
export const LogicExit = { OK: 0, CRASH: 1, BAD_ENV: 2 } as const;

/** What `main` gets. */
export interface LogicContext {
  /** The peers API (seed 000): `peers('supervision').require('gateways')`, `peers.on(...)`, `peers.share(...)`. */
  readonly peers: Peers;
  /** This logic's peer name, `logic_<name>`. */
  readonly name: string;
  /** pino logger (JSON lines on stderr, kept in the process's log file by the supervisor). */
  readonly log: Logger;
  /** Aborted when the logic stops: clear timers and intervals on it. */
  readonly signal: AbortSignal;
}

/** What `main` may return: a clean-up run before the logic leaves the mesh. */
export type LogicMain = (ctx: LogicContext) => void | (() => unknown) | Promise<void | (() => unknown)>;

/** Options of {@link runLogic}; tests override the process's parts. */
export interface RunLogicOptions {
  env?: NodeJS.ProcessEnv;
  log?: Logger;
  exit?: (code: number) => void;
  /** Time allowed for the clean-up and leaving the mesh, ms. Default 1 500. */
  shutdownTimeoutMs?: number;
}

/** Problems with the environment the supervisor gives a logic, each with its variable name. */
export function checkLogicEnv(env: NodeJS.ProcessEnv): { hub: string; name: string } | { problems: string[] } {
  const problems: string[] = [];
  const hub = env.WEBLE_HUB ?? '';
  const name = env.WEBLE_PEER_NAME ?? '';
  if (hub === '') problems.push('env.WEBLE_HUB: required: the hub socket path (set by weble-supervisor)');
  if (!/^logic_[A-Za-z0-9_.:~-]{1,122}$/.test(name)) {
    problems.push(
      `env.WEBLE_PEER_NAME: expected logic_<name> (letters, digits, _ - . : ~), got ${JSON.stringify(name)}`,
    );
  }
  return problems.length > 0 ? { problems } : { hub, name };
}

/** Run a logic script. Never rejects: every outcome ends in `exit(code)`. */
export function runLogic(main: LogicMain, options: RunLogicOptions = {}): void {
  const env = options.env ?? process.env;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const checked = checkLogicEnv(env);
  const log =
    options.log ??
    pino(
      { name: 'name' in checked ? checked.name : 'logic', level: env.WEBLE_LOG_LEVEL ?? 'info' },
      pino.destination({ dest: 2, sync: true }),
    );
  if ('problems' in checked) {
    process.stderr.write(
      `logic: cannot start, ${checked.problems.length} problem(s):\n${checked.problems.map((p) => `  ${p}\n`).join('')}`,
    );
    return exit(LogicExit.BAD_ENV);
  }
  const stopper = new AbortController();
  const peers = createPeers(checked.name, { logger: log.child({ component: 'peers' }), meta: { role: 'logic' } });
  let cleanup: (() => unknown) | undefined;
  let stopping = false;

  const crash = (error: unknown): void => {
    log.fatal({ err: error }, `logic crashed: ${error instanceof Error ? error.message : String(error)}`);
    exit(LogicExit.CRASH);
  };
  const stop = (reason: string): void => {
    if (stopping) return exit(LogicExit.CRASH);
    stopping = true;
    log.info({ reason }, 'stopping');
    stopper.abort(new Error(`logic stopping (${reason})`));
    const timer = setTimeout(() => exit(LogicExit.CRASH), options.shutdownTimeoutMs ?? 1_500);
    timer.unref();
    void (async () => {
      try {
        await cleanup?.();
      } catch (error) {
        log.error({ err: error }, 'clean-up failed');
      }
      await peers.close();
      clearTimeout(timer);
      exit(LogicExit.OK);
    })();
  };

  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
  watchParent((reason) => stop(reason));

  peers.once(`connect ${HUB_PEER}`, () => {
    if (stopping) return;
    log.info('joined the mesh');
    Promise.resolve()
      .then(() => main({ peers, name: checked.name, log, signal: stopper.signal }))
      .then((result) => {
        if (typeof result === 'function') cleanup = result;
      }, crash);
  });
  peers.connect(checked.hub);
}
