/**
 * `weble-supervisor start` from the BUILT dist/cli.js: it runs until SIGTERM/SIGINT, then stops
 * the supervisor and exits 0; its logs are JSON lines when stdout is not a terminal.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tempDirs } from './fixtures/sites.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const dirs = tempDirs();
const children = new Set<ChildProcessWithoutNullStreams>();

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "pnpm --filter @weble/supervisor build" first`);
});
afterEach(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  children.clear();
});
afterAll(() => dirs.cleanup());

interface Started {
  child: ChildProcessWithoutNullStreams;
  /** Every JSON log line so far. */
  logs: Array<Record<string, unknown>>;
  /** Resolves with the first log line whose `msg` matches, or rejects after `ms`. */
  waitForLog(msg: RegExp, ms?: number): Promise<Record<string, unknown>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function start(cwd: string): Started {
  const child = spawn(process.execPath, [CLI, 'start', '--config', 'site.yaml'], { cwd, stdio: 'pipe' });
  children.add(child);
  const logs: Array<Record<string, unknown>> = [];
  const waiters = new Set<{ msg: RegExp; resolve: (line: Record<string, unknown>) => void }>();
  let stderr = '';
  let partial = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const text of lines) {
      const line = JSON.parse(text) as Record<string, unknown>; // not JSON: the test fails here
      logs.push(line);
      for (const waiter of waiters) if (waiter.msg.test(String(line.msg))) waiter.resolve(line);
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const waitForLog = (msg: RegExp, ms = 10_000): Promise<Record<string, unknown>> => {
    const seen = logs.find((line) => msg.test(String(line.msg)));
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(new Error(`no log matching ${msg} within ${ms} ms; stderr: ${stderr}; logs: ${JSON.stringify(logs)}`)),
        ms,
      );
      waiters.add({
        msg,
        resolve: (line) => {
          clearTimeout(timer);
          resolve(line);
        },
      });
      void exited.then(() =>
        reject(new Error(`exited before a log matching ${msg}; stderr: ${stderr}; logs: ${JSON.stringify(logs)}`)),
      );
    });
  };
  return { child, logs, waitForLog, exited };
}

describe('weble-supervisor start', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('stops the supervisor on %s and exits 0', async (signal) => {
    // The run directory exists: whether the supervisor creates it is not what this test is about.
    const dir = await dirs.make({
      'site.yaml': 'hub: { socket: ./run/hub.sock }\nsupervision: { logs: { dir: ./run/logs } }\n',
      'run/.keep': '',
    });
    const site = start(dir);
    await site.waitForLog(/listening/);
    expect(existsSync(join(dir, 'run/hub.sock'))).toBe(true);
    site.child.kill(signal);
    expect(await site.exited).toEqual({ code: 0, signal: null });
    expect(site.logs.find((line) => line.msg === 'stopping')).toMatchObject({ signal, name: 'weble-supervisor' });
    expect(site.logs.at(-1)).toMatchObject({ msg: 'stopped', code: 0 });
    expect(existsSync(join(dir, 'run/hub.sock'))).toBe(false);
  });

  it('stops its drivers gracefully (SIGTERM, exit 0) before exiting, and removes its socket', async () => {
    const dir = await dirs.make({
      'site.yaml':
        'hub: { socket: ./run/hub.sock }\ngateways:\n  - { id: 1, type: virtual, config: {} }\nsupervision: { logs: { dir: ./run/logs } }\n',
    });
    const site = start(dir);
    const started = await site.waitForLog(/^started$/);
    const pid = Number(started.pid);
    expect(pid).toBeGreaterThan(0);
    await site.waitForLog(/^up$/);
    site.child.kill('SIGTERM');
    expect(await site.exited).toEqual({ code: 0, signal: null });
    expect(() => process.kill(pid, 0)).toThrow();
    expect(existsSync(join(dir, 'run/hub.sock'))).toBe(false);
    const driverLog = readFileSync(join(dir, 'run/logs/driver_virtual_1.log'), 'utf8');
    expect(driverLog).toContain('exited with code 0');
  });
});
