/**
 * A driver process for tests, started the way the supervisor starts it: `fork` of the driver's
 * bin with an IPC channel and the `weble:config` message, `WEBLE_HUB` and `WEBLE_PEER_NAME` in
 * its environment; or, with `ipc: false`, a plain child with stdin a pipe and the config in
 * `WEBLE_CONFIG`. stdout and stderr are collected for assertions and failure messages.
 */
import { fork, spawn, type ChildProcess, type Serializable } from 'node:child_process';
import { CONFIG_MESSAGE_TYPE } from '../schemas.js';

/** Options of {@link spawnDriver}. */
export interface SpawnDriverOptions {
  /** The hub's socket (`WEBLE_HUB`). */
  hub: string;
  /** `WEBLE_PEER_NAME`; unset when omitted (the driver then derives `driver_<type>_<id>`). */
  peerName?: string;
  /** `{ gateway, addresses }`: sent as the `weble:config` IPC message, or as `WEBLE_CONFIG` without IPC. */
  config?: unknown;
  /** Send this as the first IPC message instead of the config message. */
  firstMessage?: unknown;
  /** Start with an IPC channel (default true). */
  ipc?: boolean;
  /** Extra environment (an undefined value removes a variable). */
  env?: Record<string, string | undefined>;
  /** Arguments after the bin. */
  args?: string[];
}

/** A running (or exited) driver child. */
export interface DriverChild {
  readonly process: ChildProcess;
  readonly pid: number;
  /** stdout and stderr so far (last 32 KiB each). */
  readonly stdout: string;
  readonly stderr: string;
  /** Resolves with the exit code and signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly alive: boolean;
  /** SIGKILL when still running (for afterEach). */
  kill(): void;
}

const TAIL = 32 * 1024;

/** Start the driver bin at `bin` (a JavaScript file). */
export function spawnDriver(bin: string, options: SpawnDriverOptions): DriverChild {
  const ipc = options.ipc ?? true;
  const env: Record<string, string | undefined> = {
    ...process.env,
    WEBLE_HUB: options.hub,
    WEBLE_PEER_NAME: options.peerName,
    WEBLE_CONFIG: undefined,
  };
  if (!ipc && options.config !== undefined) env.WEBLE_CONFIG = JSON.stringify(options.config);
  Object.assign(env, options.env);
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  const args = options.args ?? [];
  const child = ipc
    ? fork(bin, args, { env, execArgv: [], stdio: ['pipe', 'pipe', 'pipe', 'ipc'] })
    : spawn(process.execPath, [bin, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error(`could not start ${bin}`);
  let stdout = '';
  let stderr = '';
  let exitedFlag = false;
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => void (stdout = (stdout + chunk).slice(-TAIL)));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => void (stderr = (stderr + chunk).slice(-TAIL)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      exitedFlag = true;
      resolve({ code, signal });
    });
  });
  if (ipc) {
    child.on('error', () => undefined); // a send to a child that already exited
    const first =
      options.firstMessage ??
      (options.config !== undefined ? { type: CONFIG_MESSAGE_TYPE, ...(options.config as object) } : undefined);
    if (first !== undefined) child.send(first as Serializable);
  }
  return {
    process: child,
    pid: child.pid,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    exited,
    get alive() {
      return !exitedFlag;
    },
    kill() {
      if (!exitedFlag) child.kill('SIGKILL');
    },
  };
}
