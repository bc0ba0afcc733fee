/**
 * The `system` module's logs over real files in a temp dir: `logTail` (counts, bounds, a file
 * that does not exist yet, coded errors), and `log <process>` events: followed only while someone
 * listens, complete lines only, bounded when much is appended at once, and across a rotation.
 */
import { appendFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SystemModule, type ProcessControl } from '../src/modules/system-module.js';
import { MAX_LINE_CHARS, MAX_TAIL_BYTES, splitLines, tailFile } from '../src/process/log-tail.js';
import type { ProcessInfo } from '../src/status-client.js';

const dir = mkdtempSync(join(tmpdir(), 'weble-logs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function control(files: Record<string, string>): ProcessControl {
  const list = Object.entries(files).map(([name, logFile]): ProcessInfo & { logFile: string } => ({
    name,
    kind: 'driver',
    state: 'up',
    pid: 1,
    restarts: 0,
    uptimeMs: 5,
    rss: 1,
    logFile,
  }));
  const refuse = (): Promise<void> => Promise.reject(new Error('not in this test'));
  return { list: async () => list, restart: refuse, stop: refuse, start: refuse };
}

function call<T>(fn: (cb: (error: Error | null, result?: unknown) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => fn((error, result) => (error ? reject(error) : resolve(result as T))));
}

/** The next `log <name>` batch on `system` whose lines satisfy `match`; fails after `ms`. */
function nextBatch(
  system: SystemModule,
  name: string,
  match: (lines: string[]) => boolean,
  ms = 5000,
): { batch: Promise<string[]>; listener: (lines: string[]) => void } {
  let listener!: (lines: string[]) => void;
  const batch = new Promise<string[]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no matching "log ${name}" batch within ${ms} ms`)), ms);
    listener = (lines) => {
      if (!match(lines)) return;
      clearTimeout(timer);
      resolve(lines);
    };
    system.on(`log ${name}`, listener);
  });
  return { batch, listener };
}

describe('logTail', () => {
  const file = join(dir, 'driver_a.log');
  writeFileSync(file, Array.from({ length: 300 }, (_, i) => `line ${i}`).join('\n') + '\n');
  const system = new SystemModule(control({ driver_a: file, driver_new: join(dir, 'not-yet.log') }));

  it('answers the last lines, 100 by default, and never the log path in the listing', async () => {
    expect(await call<string[]>((cb) => system.logTail('driver_a', 3, cb))).toEqual([
      'line 297',
      'line 298',
      'line 299',
    ]);
    const dflt = await call<string[]>((cb) => system.logTail('driver_a', undefined, cb));
    expect(dflt).toHaveLength(100);
    expect(dflt[0]).toBe('line 200');
    const viaTwoArgs = await call<string[]>((cb) => system.logTail('driver_a', cb as unknown as number));
    expect(viaTwoArgs).toHaveLength(100);
    const listed = await call<Array<Record<string, unknown>>>((cb) => system.list(cb));
    expect(listed[0]).not.toHaveProperty('logFile');
    expect(listed[0]).toMatchObject({ name: 'driver_a', rss: 1, uptimeMs: 5, restarts: 0 });
  });

  it('answers [] for a process that has not written yet', async () => {
    expect(await call<string[]>((cb) => system.logTail('driver_new', 10, cb))).toEqual([]);
  });

  it('refuses an unknown process and a bad count with coded errors naming them', async () => {
    await expect(call((cb) => system.logTail('nope', 10, cb))).rejects.toMatchObject({
      code: 'UNKNOWN_PROCESS',
      message: expect.stringContaining('"nope" (known: driver_a, driver_new)'),
    });
    for (const bad of [0, 1001, 2.5, '10', -1]) {
      await expect(call((cb) => system.logTail('driver_a', bad, cb))).rejects.toMatchObject({
        code: 'BAD_REQUEST',
        message: expect.stringContaining(`got ${JSON.stringify(bad)}`),
      });
    }
  });

  it('reads at most MAX_TAIL_BYTES from the end, drops the partial first line and cuts long lines', () => {
    const big = join(dir, 'big.log');
    const long = 'x'.repeat(MAX_LINE_CHARS + 10);
    writeFileSync(big, `${'y'.repeat(MAX_TAIL_BYTES)}\n${long}\nlast\n`);
    const lines = tailFile(big, 1000);
    expect(lines).toEqual([`${'x'.repeat(MAX_LINE_CHARS)}…`, 'last']);
    expect(splitLines('a\r\nb\n')).toEqual(['a', 'b']);
  });
});

describe('log <process> events', () => {
  it('follow only while someone listens, and carry complete lines only', async () => {
    const file = join(dir, 'driver_b.log');
    writeFileSync(file, 'before\n');
    const system = new SystemModule(control({ driver_b: file }));
    expect(system.following).toBe(0);
    const { batch, listener } = nextBatch(system, 'driver_b', (lines) => lines.includes('two'));
    expect(system.following).toBe(1);
    // The follower starts after a list round trip: append until a batch arrives (each write is an event to wait on, not a delay).
    const seen: string[] = [];
    system.on('log driver_b', (lines: string[]) => seen.push(...lines));
    const writer = setInterval(() => appendFileSync(file, 'one\ntw'), 20);
    const first = await new Promise<string[]>((resolve) => system.once('log driver_b', resolve));
    clearInterval(writer);
    expect(first.every((l) => l === 'one' || l === 'twone')).toBe(true);
    appendFileSync(file, 'o\ntwo\n');
    await batch;
    expect(seen).not.toContain('before');
    expect(seen.at(-1)).toBe('two');
    system.removeAllListeners('log driver_b');
    expect(system.listenerCount('log driver_b')).toBe(0);
    expect(system.following).toBe(0);
    system.removeListener('log driver_b', listener);
  });

  it('follows a rotated log from its start, and skips to the end when much arrives at once', async () => {
    const file = join(dir, 'driver_c.log');
    writeFileSync(file, '');
    const system = new SystemModule(control({ driver_c: file }));
    const started = nextBatch(system, 'driver_c', (lines) => lines.includes('ready'));
    const writer = setInterval(() => appendFileSync(file, 'ready\n'), 20);
    await started.batch;
    clearInterval(writer);
    const rotated = nextBatch(system, 'driver_c', (lines) => lines.includes('after rotation'));
    renameSync(file, `${file}.1`);
    writeFileSync(file, 'after rotation\n');
    expect(await rotated.batch).toEqual(['after rotation']);
    const flood = nextBatch(system, 'driver_c', (lines) => lines.at(-1) === 'end');
    appendFileSync(file, `${'z'.repeat(100)}\n`.repeat(Math.ceil((3 * MAX_TAIL_BYTES) / 101)) + 'end\n');
    const lines = await flood.batch;
    expect(lines.join('\n').length).toBeLessThanOrEqual(MAX_TAIL_BYTES);
    system.removeAllListeners('log driver_c');
    expect(system.following).toBe(0);
  });
});
