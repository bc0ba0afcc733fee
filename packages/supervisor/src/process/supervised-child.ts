/**
 * One supervised child process (a driver, a logic, the web server): started with node:child_process
 * (execa cost the supervisor 16 MiB of RSS to load, docs/memory.md), `up` once
 * its peer joins the mesh, restarted with backoff, `failed` after too many restarts (then retried
 * slowly), stopped with SIGTERM then SIGKILL. Its output goes to a size-capped log file, and to
 * the systemd journal under its own name when the supervisor's output is the journal.
 */
import { EventEmitter } from 'node:events';
import { spawn, type ChildProcess } from 'node:child_process';

type ChildProcessLike = ChildProcess;
import type { Logger } from 'pino';
import { RestartPolicy, type RestartSettings } from './restart-policy.js';
import { LineTail, RotatingLog, type LogSettings } from './rotating-log.js';
import { JournalStream, outputIsJournal } from '../service/journal-stream.js';

export type ChildState = 'starting' | 'up' | 'stopping' | 'stopped' | 'backoff' | 'failed';

/** What to run. */
export interface ChildSpec {
  /** The child's peer name on the mesh (`driver_virtual_1`, `logic_thermostat`). */
  name: string;
  kind: 'driver' | 'logic' | 'web' | 'store' | 'northbound';
  command: string;
  args: string[];
  env: Record<string, string>;
  /** Sent over IPC right after spawning (a driver's configuration). */
  message?: unknown;
  cwd?: string;
}

export interface ChildSettings {
  restart: RestartSettings;
  startTimeoutMs: number;
  stopTimeoutMs: number;
  logs: LogSettings;
}

export class SupervisedChild extends EventEmitter {
  state: ChildState = 'stopped';
  restarts = 0;
  private process: ChildProcessLike | undefined;
  private upSince: number | undefined;
  private readonly policy: RestartPolicy;
  private readonly log: RotatingLog;
  private readonly journal: JournalStream | undefined;
  private readonly stderr = new LineTail(20);
  private timer: ReturnType<typeof setTimeout> | undefined;
  private exited: Promise<void> = Promise.resolve();
  private lastFailure: string[] | undefined;

  constructor(
    readonly spec: ChildSpec,
    private readonly settings: ChildSettings,
    private readonly logger: Logger,
  ) {
    super();
    this.policy = new RestartPolicy(settings.restart);
    this.log = new RotatingLog(settings.logs, spec.name);
    this.journal = outputIsJournal() ? new JournalStream(spec.name, logger) : undefined;
  }

  get pid(): number | undefined {
    return this.process?.pid;
  }

  get uptimeMs(): number | undefined {
    return this.state === 'up' && this.upSince !== undefined ? Date.now() - this.upSince : undefined;
  }

  get logFile(): string {
    return this.log.path;
  }

  /** Last stderr lines (of the last failure when failed). */
  stderrTail(): string[] {
    return this.lastFailure ?? this.stderr.get();
  }

  /** Start now (from stopped, backoff or failed). Resolves when spawned. */
  start(): void {
    if (this.state === 'starting' || this.state === 'up' || this.state === 'stopping') return;
    this.clearTimer();
    this.spawn();
  }

  /** The child's peer joined the mesh. */
  markUp(): void {
    if (this.state !== 'starting') return;
    this.clearTimer();
    this.upSince = Date.now();
    this.lastFailure = undefined;
    this.logger.info({ pid: this.pid }, 'up');
    this.setState('up');
  }

  /** Stop: SIGTERM, then SIGKILL after `stopTimeoutMs`. Stays stopped until started again. */
  async stop(): Promise<void> {
    this.clearTimer();
    // No process running (it exited: backoff, failed), except during an immediate restart's 'backoff'.
    const child = this.process;
    const running = child !== undefined && child.exitCode === null && child.signalCode === null;
    if (!running || this.state === 'stopped' || this.state === 'failed') {
      this.setState('stopped');
      return;
    }
    this.setState('stopping');
    child.kill('SIGTERM');
    const kill = setTimeout(() => {
      this.logger.warn(
        { child: this.spec.name, pid: child.pid },
        `did not stop within ${this.settings.stopTimeoutMs} ms; SIGKILL`,
      );
      child.kill('SIGKILL');
    }, this.settings.stopTimeoutMs);
    await this.exited;
    clearTimeout(kill);
  }

  /** Stop, forget the restart history, start again (a restart on request). */
  async restart(): Promise<void> {
    await this.stop();
    this.policy.reset();
    this.start();
  }

  /** Stop for good and close the log. */
  async dispose(): Promise<void> {
    await this.stop();
    this.log.close();
    this.journal?.close();
  }

  private spawn(): void {
    this.setState('starting');
    this.launch();
    this.logger.info({ pid: this.pid }, 'started');
  }

  /** Create the process (its output, exit and start timeout watched); the state is the caller's. */
  private launch(): void {
    const { spec } = this;
    // The supervisor stops its children itself; an orphan exits when its IPC channel closes.
    const child = spawn(spec.command, spec.args, {
      env: { ...process.env, ...spec.env },
      ...(spec.cwd ? { cwd: spec.cwd } : {}),
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
      detached: false,
    });
    this.process = child;
    child.stdout?.on('data', (chunk: Buffer) => {
      this.log.write(chunk);
      this.journal?.write(chunk, false);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      this.log.write(chunk);
      this.journal?.write(chunk, true);
      this.stderr.push(chunk.toString('utf8'));
    });
    child.on('error', (error) => this.logger.error({ child: spec.name, err: error }, 'child process error'));
    if (spec.message !== undefined) {
      child.once('spawn', () => {
        try {
          child.send(spec.message as object);
        } catch (error) {
          this.logger.error({ child: spec.name, err: error }, 'could not send the configuration');
        }
      });
    }
    this.exited = new Promise<void>((resolve) => {
      child.once('exit', (code, signal) => {
        this.onExit(child, code, signal);
        resolve();
      });
    });
    this.timer = setTimeout(() => {
      if (this.state !== 'starting') return;
      this.logger.warn({ child: spec.name }, `not up within ${this.settings.startTimeoutMs} ms; killing it`);
      this.stderr.push(`weble-supervisor: not up within ${this.settings.startTimeoutMs} ms\n`);
      child.kill('SIGKILL');
    }, this.settings.startTimeoutMs);
  }

  private onExit(child: ChildProcessLike, code: number | null, signal: NodeJS.Signals | null): void {
    if (child !== this.process) return;
    this.clearTimer();
    const how = signal ? `signal ${signal}` : `code ${code}`;
    this.log.write(`--- weble-supervisor: ${this.spec.name} exited with ${how} at ${new Date().toISOString()}\n`);
    if (this.state === 'stopping') {
      this.setState('stopped');
      return;
    }
    const upSince = this.state === 'up' ? this.upSince : undefined;
    const decision = this.policy.onExit(Date.now(), upSince);
    if (decision.action === 'restart') {
      this.restarts++;
      // A restart at once (a first exit after being up) creates the new process before the log
      // line and the state listeners (its gateway marked offline) run: its start overlaps them
      // instead of waiting for them and a timer (crash-to-up, docs/memory.md).
      const atOnce = decision.delayMs === 0;
      if (atOnce) this.launch();
      this.logger.warn(
        { child: this.spec.name, exit: how, restartInMs: decision.delayMs, attempt: decision.attempt },
        'exited; restarting',
      );
      this.setState('backoff');
      // A state listener may have stopped it meanwhile (`stop()` during backoff): then no more.
      if (this.state !== 'backoff') return;
      if (atOnce) {
        this.setState('starting');
        this.logger.info({ pid: this.pid }, 'started');
      } else this.timer = setTimeout(() => this.spawn(), decision.delayMs);
      return;
    }
    this.lastFailure = this.stderr.get();
    this.logger.error(
      {
        child: this.spec.name,
        exit: how,
        restarts: decision.restarts,
        retryInMs: decision.retryInMs,
        stderr: this.lastFailure,
      },
      `failed: ${decision.restarts} restarts within ${this.settings.restart.withinMs} ms; retrying in ${decision.retryInMs} ms`,
    );
    this.setState('failed');
    this.timer = setTimeout(() => {
      this.policy.reset();
      this.spawn();
    }, decision.retryInMs);
  }

  private setState(state: ChildState): void {
    if (this.state === state) return;
    this.state = state;
    this.emit('state', state);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
