/**
 * `runDriver(definition)`: the whole life of a driver process, the same for every driver. Reads
 * and validates the configuration (exit 2 with every problem on stderr), joins the mesh, runs the
 * gateway, and stops cleanly (exit 0) on SIGTERM, SIGINT or when the parent dies. A crash exits 1.
 */
import type { Backoff } from './peer-types.js';
import type { Logger } from 'pino';
import { receiveConfig, type ConfigSources, type RawConfig } from './config-source.js';
import type { DriverConfig, DriverDefinition, RunnableDefinition } from './definition.js';
import { parseDriverEnv, type ParseResult } from './driver-env.js';
import { DriverError } from './errors.js';
import { createLineLogger } from './line-logger.js';
import { watchParent } from './parent-watch.js';
import { parseDriverConfig } from './schemas.js';
import { startDriver, type RunningDriver } from './start-driver.js';

/** Exit codes of a driver process. */
export const ExitCode = {
  /** Stopped cleanly (signal or parent gone). */
  OK: 0,
  /** Crashed, or did not stop within the shutdown timeout. */
  CRASH: 1,
  /** No configuration, or an invalid one: restarting will not help. */
  BAD_CONFIG: 2,
} as const;

/** Options of {@link runDriver}; tests and embedders override the process's parts. */
export interface RunDriverOptions extends ConfigSources {
  /** Time allowed for a clean stop before exiting with 1, ms. Default 1 500. */
  shutdownTimeoutMs?: number;
  /** Device reconnect policy, overriding the definition's. */
  backoff?: Backoff;
  /** Default: JSON lines on stderr (pino's format, synchronous; line-logger.ts), level `WEBLE_LOG_LEVEL` or `info`. */
  log?: Logger;
  /** After a clean stop, the longest wait for open handles (sockets closing) before exiting anyway, ms. Default 500. */
  drainMs?: number;
  /** Default `process.exit`. */
  exit?: (code: number) => void;
  /** Where configuration problems are printed. Default stderr. */
  printProblems?: (text: string) => void;
}

/** The configuration of a received message, checked: the value, or every problem. */
export type ConfigCheck<Config, Point> = (received: RawConfig) => ParseResult<DriverConfig<Config, Point>>;

/**
 * Run a driver process (`definition`'s schemas validate the configuration). Never rejects: every
 * outcome ends in `exit(code)`. A bundled bin runs `runBundledDriver` instead (its schemas on
 * first need, bundled-driver.ts).
 */
export function runDriver<Config, Point, Device, Value>(
  definition: DriverDefinition<Config, Point, Device, Value>,
  options: RunDriverOptions = {},
): Promise<void> {
  return runDriverProcess(definition, ({ raw }) => parseDriverConfig(definition, raw), options);
}

/** The life of a driver process, its configuration checked by `check`. Never rejects. */
export async function runDriverProcess<Config, Point, Device, Value>(
  definition: RunnableDefinition<Config, Point, Device, Value>,
  check: ConfigCheck<Config, Point>,
  options: RunDriverOptions = {},
): Promise<void> {
  const env = options.env ?? process.env;
  const log =
    options.log ?? createLineLogger({ name: `driver_${definition.type}`, level: env.WEBLE_LOG_LEVEL ?? 'info' });
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const print = options.printProblems ?? ((text: string) => void process.stderr.write(text));
  // eslint-disable-next-line prefer-const -- assigned once the driver has started; the stop handlers above it read it
  let running: RunningDriver | undefined;
  let stopping = false;
  let unwatch = (): void => undefined;

  const shutdown = (reason: string): void => {
    if (stopping) {
      log.warn({ reason }, 'second stop request: exiting now');
      return exit(ExitCode.CRASH);
    }
    stopping = true;
    log.info({ reason }, 'stopping');
    const timer = setTimeout(() => {
      log.error({ reason, timeoutMs: options.shutdownTimeoutMs ?? 1_500 }, 'clean stop took too long: exiting');
      exit(ExitCode.CRASH);
    }, options.shutdownTimeoutMs ?? 1_500);
    timer.unref();
    void (running?.stop() ?? Promise.resolve()).then(
      () => {
        clearTimeout(timer);
        drain();
      },
      (error: unknown) => {
        clearTimeout(timer);
        log.error({ err: error }, 'stop failed');
        exit(ExitCode.CRASH);
      },
    );
  };
  /**
   * Stopped: exit 0 as soon as nothing is left to do. Exiting at once could cut the hub link
   * while frames are in flight (the hub then sees ECONNRESET instead of a clean leave), so the
   * process lets its sockets close (the IPC channel and stdin no longer hold it) and only a
   * handle still open after `drainMs` makes it exit by force, still with 0.
   */
  const drain = (): void => {
    unwatch();
    process.channel?.unref();
    process.exitCode = ExitCode.OK;
    setTimeout(() => exit(ExitCode.OK), options.drainMs ?? 500).unref();
  };
  const crash = (error: unknown): void => {
    log.fatal({ err: error }, `driver crashed: ${(error as Error)?.message ?? String(error)}`);
    exit(ExitCode.CRASH);
  };

  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
  const watch = watchParent((reason) => shutdown(reason));
  unwatch = watch.unwatch;
  log.debug({ parentWatch: watch.kind }, 'watching the parent');

  let received: RawConfig;
  try {
    received = await receiveConfig({ ...options, env });
  } catch (error) {
    if (stopping) return;
    if (!(error instanceof DriverError)) return crash(error);
    print(`driver_${definition.type}: ${error.message}\n`);
    return exit(ExitCode.BAD_CONFIG);
  }
  if (stopping) return;
  const environment = parseDriverEnv(env);
  let config: ParseResult<DriverConfig<Config, Point>>;
  try {
    config = check(received);
  } catch (error) {
    return crash(error);
  }
  const problems = [...(environment.ok ? [] : environment.problems), ...(config.ok ? [] : config.problems)];
  if (!environment.ok || !config.ok) {
    const n = problems.length;
    print(
      `driver_${definition.type}: invalid configuration (${received.origin}), ${n} problem${n === 1 ? '' : 's'}:\n${problems.map((p) => `  ${p}\n`).join('')}`,
    );
    return exit(ExitCode.BAD_CONFIG);
  }
  running = startDriver(definition, config.value, {
    hub: environment.value.WEBLE_HUB,
    log,
    ...(environment.value.WEBLE_PEER_NAME ? { peerName: environment.value.WEBLE_PEER_NAME } : {}),
    ...(options.backoff ? { backoff: options.backoff } : {}),
  });
}
