/**
 * Child processes of the benchmark: fork one participant, talk to it over IPC, and make sure
 * none is left behind. Every child is SIGKILLed when its scenario ends, and again from the exit,
 * signal and crash handlers of the orchestrator; children also exit on their own when the IPC
 * channel drops (lib/child.cjs), which covers the orchestrator being SIGKILLed.
 */
import { fork } from 'node:child_process';

const alive = new Set();
const PROFILE = process.env.BENCH_PROFILE?.split(',').map((s) => s.trim());
const PROFILE_DIR = process.env.BENCH_PROFILE_DIR ?? 'bench-results/profiles';

function killAll() {
  for (const child of alive) {
    try {
      child.proc.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
}

let hooked = false;
function hookProcess() {
  if (hooked) return;
  hooked = true;
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      killAll();
      process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1));
    });
  }
}

/** One forked participant. */
export class Child {
  /**
   * @param {string} file  implementation file (impl/*.cjs|mjs)
   * @param {string} name  participant name (argv[2])
   * @param {object} cfg   settings passed as BENCH_CONFIG
   */
  constructor(file, name, cfg) {
    hookProcess();
    this.name = name;
    this.inbox = [];
    this.waiters = [];
    this.failure = undefined;
    this.stderr = '';
    // BENCH_PROFILE=hub,listener0 writes V8 CPU profiles of those participants to PROFILE_DIR.
    this.profiled = Boolean(PROFILE && PROFILE.includes(name));
    this.proc = fork(file, [name], {
      env: { ...process.env, BENCH_CONFIG: JSON.stringify(cfg) },
      execArgv: this.profiled ? ['--cpu-prof', '--cpu-prof-interval=100', `--cpu-prof-dir=${PROFILE_DIR}`] : [],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'json',
    });
    this.proc.stderr.on('data', (d) => {
      if (this.stderr.length < 4000) this.stderr += d;
    });
    alive.add(this);
    this.exited = new Promise((resolve) => {
      this.proc.once('exit', (code, signal) => {
        alive.delete(this);
        this.fail(
          new Error(`${name} exited (${signal ?? code})${this.stderr ? `: ${this.stderr.trim().slice(0, 800)}` : ''}`),
        );
        resolve();
      });
    });
    this.proc.on('message', (msg) => {
      if (msg.type === 'error') return this.fail(new Error(`${name}: ${msg.message}`));
      const i = this.waiters.findIndex((w) => w.type === msg.type);
      if (i >= 0) this.waiters.splice(i, 1)[0].resolve(msg);
      else this.inbox.push(msg);
    });
  }

  fail(error) {
    if (this.failure) return;
    this.failure = error;
    for (const w of this.waiters.splice(0)) w.reject(error);
  }

  /** Next message of `type` from the child; rejects on child error, exit or timeout. */
  wait(type, timeoutMs) {
    const i = this.inbox.findIndex((m) => m.type === type);
    if (i >= 0) return Promise.resolve(this.inbox.splice(i, 1)[0]);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`${this.name}: no "${type}" within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter = {
        type,
        resolve: (m) => (clearTimeout(timer), resolve(m)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      };
      this.waiters.push(waiter);
    });
  }

  /** Send a command and wait for its result. */
  request(command, timeoutMs) {
    const result = this.wait('result', timeoutMs);
    this.proc.send(command);
    return result;
  }

  send(command) {
    this.proc.send(command);
  }

  /** SIGKILL and wait for the exit (a profiled child is asked to exit first, to write its profile). */
  async kill() {
    if (this.profiled && alive.has(this)) {
      this.proc.send({ cmd: 'exit' });
      await Promise.race([this.exited, new Promise((r) => setTimeout(r, 3000).unref())]);
    }
    if (alive.has(this)) this.proc.kill('SIGKILL');
    await this.exited;
  }
}

/** Kill every child still running and wait for them. */
export async function killChildren() {
  const all = [...alive];
  await Promise.all(all.map((c) => c.kill()));
}
