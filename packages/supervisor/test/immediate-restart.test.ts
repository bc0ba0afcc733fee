/**
 * A supervised child's restart at once (its first exit after coming up), with real processes: the
 * new process exists before the state listeners hear `backoff` (its start overlaps the
 * supervisor's bookkeeping), a `stop()` from such a listener stops that new process (no orphan),
 * and a second exit soon after still waits its backoff with no process running.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_RESTART } from '../src/process/restart-policy.js';
import { SupervisedChild, type ChildSettings } from '../src/process/supervised-child.js';

const logs = mkdtempSync(join(tmpdir(), 'weble-immediate-restart-'));
afterAll(() => rmSync(logs, { recursive: true, force: true }));

const settings: ChildSettings = {
  restart: { ...DEFAULT_RESTART, initialMs: 400, maxMs: 400, stableMs: 60_000 },
  startTimeoutMs: 10_000,
  stopTimeoutMs: 2_000,
  logs: { dir: logs, maxBytes: 1_000_000, keep: 1 },
};

/** A child that idles until it is killed. */
function idleChild(name: string): SupervisedChild {
  return new SupervisedChild(
    { name, kind: 'logic', command: process.execPath, args: ['-e', 'setInterval(() => {}, 1e6)'], env: {} },
    settings,
    pino({ level: 'silent' }),
  );
}

/** Resolves with the first state `child` enters among `states`. */
function nextState(child: SupervisedChild, ...states: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${child.spec.name}: none of ${states.join(', ')} within 10 s`)),
      10_000,
    );
    const on = (state: string): void => {
      if (!states.includes(state)) return;
      clearTimeout(timer);
      child.removeListener('state', on);
      resolve(state);
    };
    child.on('state', on);
  });
}

/** Whether a process with this pid exists (one whose exit the supervisor saw is reaped: gone). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Start `child` and mark it up (as the hub does when its peer joins). */
async function startUp(child: SupervisedChild): Promise<number> {
  child.start();
  child.markUp();
  expect(child.state).toBe('up');
  return child.pid!;
}

describe('SupervisedChild: restart at once', () => {
  it('creates the new process before the state listeners hear backoff, then starting', async () => {
    const child = idleChild('logic_at_once');
    const first = await startUp(child);
    const seen: Array<{ state: string; pid: number | undefined }> = [];
    child.on('state', (state: string) => seen.push({ state, pid: child.pid }));
    const starting = nextState(child, 'starting');
    process.kill(first, 'SIGKILL');
    await starting;
    const second = child.pid!;
    expect(second).not.toBe(first);
    expect(alive(second)).toBe(true);
    expect(seen).toEqual([
      { state: 'backoff', pid: second },
      { state: 'starting', pid: second },
    ]);
    expect(child.restarts).toBe(1);
    await child.dispose();
    expect(alive(second)).toBe(false);
  });

  it('a stop() from a backoff listener stops the process just created: no orphan', async () => {
    const child = idleChild('logic_stopped_in_backoff');
    const first = await startUp(child);
    let stopping: Promise<void> | undefined;
    let created: number | undefined;
    child.on('state', (state: string) => {
      if (state !== 'backoff' || stopping) return;
      created = child.pid;
      stopping = child.stop();
    });
    const stopped = nextState(child, 'stopped');
    process.kill(first, 'SIGKILL');
    await stopped;
    await stopping;
    expect(created).toBeDefined();
    expect(created).not.toBe(first);
    expect(alive(created!)).toBe(false);
    expect(child.state).toBe('stopped');
    await child.dispose();
  });

  it('a second exit soon after waits its backoff with no process running', async () => {
    const child = idleChild('logic_backs_off');
    const first = await startUp(child);
    const restarted = nextState(child, 'starting');
    process.kill(first, 'SIGKILL');
    await restarted;
    child.markUp();
    const second = child.pid!;
    const backoff = nextState(child, 'backoff');
    process.kill(second, 'SIGKILL');
    await backoff;
    const waitedFrom = Date.now();
    expect(child.pid).toBe(second);
    expect(alive(second)).toBe(false);
    await nextState(child, 'starting');
    // Backoff of 400 ms with jitter of at most 30% off.
    expect(Date.now() - waitedFrom).toBeGreaterThanOrEqual(270);
    expect(child.pid).not.toBe(second);
    expect(child.restarts).toBe(2);
    await child.dispose();
  });

  it('a stop() from a backoff listener before a delayed restart cancels that restart', async () => {
    const child = idleChild('logic_stopped_before_delay');
    const first = await startUp(child);
    const restarted = nextState(child, 'starting');
    process.kill(first, 'SIGKILL');
    await restarted;
    child.markUp();
    const states: string[] = [];
    child.on('state', (state: string) => {
      states.push(state);
      if (state === 'backoff') void child.stop();
    });
    const stopped = nextState(child, 'stopped');
    process.kill(child.pid!, 'SIGKILL');
    await stopped;
    // An absence: well past the 400 ms backoff (timers never fire early), nothing was started.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(states).toEqual(['backoff', 'stopped']);
    await child.dispose();
  });
});
