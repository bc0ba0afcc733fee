/**
 * `weble-supervisor start` (the BUILT dist/cli.js) holds TurboFan back while its modules load and
 * while it reads site.yaml, and optimises as usual once the site runs (src/startup-tiering.ts,
 * docs/memory.md "The supervisor"). Seen from outside with V8's `--trace-opt`: the functions that
 * only start-up makes hot (Node's module resolution, yaml's flow-collection parser: site.yaml
 * below has 122 flow collections) are never optimised, and the calls relayed by the hub afterwards
 * are. Without the hold, all of them were optimised at start; without the release, none would be.
 * With `--trace-gc`: one compacting full collection runs once the site is up, and the heap V8 keeps
 * committed is smaller after it.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import createPeers, { type Peers } from '@weble/peers-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPACT_AFTER_START_MS } from '../src/startup-tiering.js';
import { tempDirs } from './fixtures/sites.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const ADDRESSES = 60;
const CALLS = 4_000;
const dirs = tempDirs();
let child: ChildProcessWithoutNullStreams | undefined;
let peers: Peers | undefined;

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "pnpm --filter @weble/supervisor build" first`);
});
afterAll(async () => {
  await peers?.close();
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await dirs.cleanup();
});

/** A site of one virtual gateway and `ADDRESSES` addresses, each written as YAML flow mappings. */
function siteYaml(): string {
  const addresses = Array.from(
    { length: ADDRESSES },
    (_, i) => `  - { key: "a/${i + 1}", gateway: 1, point: { type: number, initial: ${i} } }`,
  );
  return `hub: { socket: ./run/s.sock }\ngateways:\n  - { id: 1, type: virtual, config: {} }\naddresses:\n${addresses.join('\n')}\n`;
}

/** The names of the functions V8 reports as optimised in `--trace-opt` output. */
function optimised(output: string): string[] {
  return [...output.matchAll(/\[completed optimizing \S+ <JSFunction (\S+)/g)].map((match) => match[1] ?? '');
}

describe('weble-supervisor start and TurboFan', () => {
  it('optimises nothing that only start-up runs, and the relayed calls once the site runs', async () => {
    const dir = await dirs.make({ 'site.yaml': siteYaml() });
    child = spawn(process.execPath, ['--trace-opt', CLI, 'start', '--config', 'site.yaml'], { cwd: dir });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child?.once('exit', (code) => resolve(code)));

    peers = createPeers(`tiering_test_${process.pid}`, {
      logger: { debug() {}, warn() {}, error() {} },
      backoff: { initialMs: 20, maxMs: 200 },
    });
    const driverUp = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`driver not up within 30 s; output: ${output}`)), 30_000);
      peers?.on('connect', (name: string) => {
        if (name !== 'driver_virtual_1') return;
        clearTimeout(timer);
        resolve();
      });
    });
    peers.connect(join(dir, 'run', 's.sock'));
    await driverUp;

    // The hub relays calls to its system module until V8 finds them hot.
    for (let sent = 0; sent < CALLS; sent += 100) {
      await Promise.all(Array.from({ length: 100 }, () => peers?.('supervision').call('system', 'list', [])));
    }
    await peers.close();
    peers = undefined;
    child.kill('SIGTERM');
    expect(await exited).toBe(0);

    const names = optimised(output);
    expect(names.length, output).toBeGreaterThan(0);
    expect(names).not.toContain('Module._nodeModulePaths');
    expect(names).not.toContain('parseFlowCollection');
  }, 90_000);

  it('compacts its heap once, after the site is up', async () => {
    const dir = await dirs.make({ 'site.yaml': siteYaml() });
    child = spawn(process.execPath, ['--trace-gc', CLI, 'start', '--config', 'site.yaml'], { cwd: dir });
    let output = '';
    // `<pid>: <ms> ms: Mark-Compact <used> (<committed>) -> <used> (<committed>) MB, ... testing; ...`
    const compaction = /(\d+) ms: Mark-Compact [\d.]+ \(([\d.]+)\) -> [\d.]+ \(([\d.]+)\) MB.*testing/;
    const compacted = new Promise<RegExpExecArray>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no compaction within 30 s; output: ${output}`)), 30_000);
      child?.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        output += chunk;
        const match = compaction.exec(output);
        if (match === null) return;
        clearTimeout(timer);
        resolve(match);
      });
    });
    const exited = new Promise<number | null>((resolve) => child?.once('exit', (code) => resolve(code)));
    const [, atMs, before, after] = await compacted;
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    // Not before the drivers had time to join: the timer starts once the site is up.
    expect(Number(atMs)).toBeGreaterThanOrEqual(COMPACT_AFTER_START_MS);
    expect(Number(after)).toBeLessThan(Number(before));
  }, 60_000);
});
