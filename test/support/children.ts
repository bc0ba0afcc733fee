/**
 * Child processes driven over their IPC channel: spawn a fixture, send it requests, wait for what
 * it reports (with a timeout, never a sleep), and kill every child at the end of a test even when
 * the test failed.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Where the fixture scripts live. */
export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** A message a fixture pushed: `{type, ...data}` (see fixtures/lib/control.cjs). */
export interface Report {
  type: string;
  [key: string]: unknown;
}

/** A value as summarised by the child (fixtures/lib/control.cjs `summarize`). */
export type Wire = any; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Waiter {
  match: (report: Report) => boolean;
  resolve: (report: Report) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

/** Default wait for a report or a reply, ms. */
export const WAIT_MS = 5_000;
/** How long a child may take to start and say `ready` (a process start on a loaded 2-core machine can pass 5 s). */
export const START_MS = 20_000;

export class Child {
  /** Every report received, in order (replies excluded). */
  readonly reports: Report[] = [];
  /** What the child wrote on stderr (quoted in timeout errors). */
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private readonly waiters = new Set<Waiter>();
  private readonly replies = new Map<number, { resolve: (v: Wire) => void; reject: (e: Error) => void }>();
  private nextId = 1;

  constructor(
    readonly label: string,
    readonly process: ChildProcess,
  ) {
    process.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-8_000);
    });
    process.stdout?.resume();
    process.on('message', (message: Report) => this.receive(message));
    this.exited = new Promise((resolve) => {
      process.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        const error = new Error(`${this.label} exited (code ${code}, signal ${signal})${this.context()}`);
        for (const waiter of this.waiters) {
          clearTimeout(waiter.timer);
          waiter.reject(error);
        }
        this.waiters.clear();
        for (const reply of this.replies.values()) reply.reject(error);
        this.replies.clear();
        resolve({ code, signal });
      });
    });
  }

  get alive(): boolean {
    return this.exitInfo === undefined;
  }

  /** Send `{op, ...params}` and resolve with the child's result (its error rejects). */
  request(op: string, params: Record<string, unknown> = {}, timeoutMs = WAIT_MS): Promise<Wire> {
    if (!this.alive) return Promise.reject(new Error(`${this.label} is not running${this.context()}`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.replies.delete(id);
        reject(new Error(`${this.label}: no reply to ${op} within ${timeoutMs} ms${this.context()}`));
      }, timeoutMs);
      this.replies.set(id, {
        resolve: (value) => (clearTimeout(timer), resolve(value)),
        reject: (error) => (clearTimeout(timer), reject(error)),
      });
      this.process.send({ ...params, op, id });
    });
  }

  /** Run an async function body in an agent (fixtures/agent.cjs) and return its summarised result. */
  eval(code: string, timeoutMs = WAIT_MS): Promise<Wire> {
    return this.request('eval', { code }, timeoutMs);
  }

  /**
   * The first report matching `match` at index `from` or later (default: any report so far, so a
   * report that came before the call is not missed). Rejects after `timeoutMs` or if the child exits.
   */
  waitFor(
    match: (report: Report) => boolean,
    options: { from?: number; timeoutMs?: number; what?: string } = {},
  ): Promise<Report> {
    const found = this.reports.slice(options.from ?? 0).find(match);
    if (found) return Promise.resolve(found);
    if (!this.alive)
      return Promise.reject(new Error(`${this.label} exited before ${options.what ?? 'the report'}${this.context()}`));
    const timeoutMs = options.timeoutMs ?? WAIT_MS;
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        match,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          reject(
            new Error(`${this.label}: no ${options.what ?? 'matching report'} within ${timeoutMs} ms${this.context()}`),
          );
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  /** Wait for a report of `type` whose fields include `fields` (compared with ===). */
  waitForReport(
    type: string,
    fields: Record<string, unknown> = {},
    options: { from?: number; timeoutMs?: number } = {},
  ): Promise<Report> {
    return this.waitFor((r) => r.type === type && Object.entries(fields).every(([k, v]) => r[k] === v), {
      ...options,
      what: `report ${type} ${JSON.stringify(fields)}`,
    });
  }

  /** Reports of `type` (optionally with `fields`) received so far, from index `from`. */
  reportsOf(type: string, fields: Record<string, unknown> = {}, from = 0): Report[] {
    return this.reports
      .slice(from)
      .filter((r) => r.type === type && Object.entries(fields).every(([k, v]) => r[k] === v));
  }

  /** Index of the next report: pass it as `from` to wait only for what happens after now. */
  mark(): number {
    return this.reports.length;
  }

  /** Kill the child (SIGKILL by default) and wait for it to be gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (this.alive) this.process.kill(signal);
    await this.exited;
  }

  private receive(message: Report): void {
    if (message.type === 'reply') {
      const id = message.id as number;
      const reply = this.replies.get(id);
      if (!reply) return;
      this.replies.delete(id);
      if (message.ok) reply.resolve(message.result);
      else reply.reject(remoteError(this.label, message.error as Wire));
      return;
    }
    this.reports.push(message);
    if (message.type === 'fatal') {
      const error = new Error(`${this.label} failed: ${JSON.stringify(message.error)}${this.context()}`);
      for (const waiter of this.waiters) {
        clearTimeout(waiter.timer);
        waiter.reject(error);
      }
      this.waiters.clear();
      return;
    }
    for (const waiter of [...this.waiters]) {
      if (!waiter.match(message)) continue;
      clearTimeout(waiter.timer);
      this.waiters.delete(waiter);
      waiter.resolve(message);
    }
  }

  private context(): string {
    const last = this.reports.slice(-8).map((r) => JSON.stringify(r).slice(0, 300));
    return `\n  last reports of ${this.label}:\n    ${last.join('\n    ') || '(none)'}\n  stderr of ${this.label}:\n${this.stderr.slice(-2_000) || '(empty)'}`;
  }
}

function remoteError(label: string, wire: Wire): Error {
  const error = new Error(`${label}: ${wire?.message ?? 'request failed'}`) as Error & {
    code?: unknown;
    remoteStack?: unknown;
  };
  error.code = wire?.code;
  error.remoteStack = wire?.stack;
  return error;
}

/** The children of one test file; `killAll` in afterEach/afterAll. */
export class Children {
  private readonly all = new Set<Child>();
  private spawned: Child[] = [];

  /** Fork `fixtures/<script>` with `config` as JSON in argv[2]. */
  spawn(label: string, script: string, config: unknown): Child {
    const proc = fork(FIXTURES + script, [JSON.stringify(config)], {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: { ...process.env, WEBLE_LOG_LEVEL: process.env.WEBLE_LOG_LEVEL ?? 'silent' },
      execArgv: [],
    });
    const child = new Child(label, proc);
    this.all.add(child);
    this.spawned.push(child);
    child.exited.then(() => this.all.delete(child));
    return child;
  }

  /**
   * Throw if a child reported an error thrown asynchronously (a callback or listener that threw),
   * then forget the children checked.
   */
  assertNoUncaught(): void {
    const uncaught = this.spawned.flatMap((child) =>
      child.reportsOf('uncaught').map((r) => `${child.label}: ${JSON.stringify(r.error)}`),
    );
    this.spawned = [];
    if (uncaught.length > 0) throw new Error(`uncaught errors in child processes:\n${uncaught.join('\n')}`);
  }

  /** SIGKILL every child still running and wait until each is gone. */
  async killAll(): Promise<void> {
    await Promise.all([...this.all].map((child) => child.kill()));
  }

  /** The end of a test: kill every child, then fail if one reported an uncaught error. */
  async finish(): Promise<void> {
    await this.killAll();
    this.assertNoUncaught();
  }
}
