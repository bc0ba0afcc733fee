/**
 * What a running `weble-supervisor start` (the BUILT dist/cli.js) does not load (docs/memory.md,
 * "The supervisor"): pino and its worker-thread transport (the supervisor logs through driver-kit's
 * line logger), node:worker_threads (until the alarm store's first worker), node:crypto (until a
 * password or a federation ring is hashed). Each cost the long-lived supervisor memory for nothing.
 * A probe preloaded with `--require` lists the modules once the site's driver is up. Its log
 * lines on stdout are still pino's JSON lines.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import createPeers, { type Peers } from '@weble/peers-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDirs } from './fixtures/sites.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const PROBE = fileURLToPath(new URL('./fixtures/loaded-modules-probe.cjs', import.meta.url));
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

/** Resolves once `output()` matches `pattern`, checked on every chunk of `stream`. */
function whenOutput(stream: NodeJS.ReadableStream, output: () => string, pattern: RegExp, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} not seen within 30 s; output: ${output()}`)), 30_000);
    const check = (): void => {
      if (!pattern.test(output())) return;
      clearTimeout(timer);
      stream.removeListener('data', check);
      resolve();
    };
    stream.on('data', check);
    check();
  });
}

describe('weble-supervisor start, once its site is up', () => {
  it('has loaded neither pino nor node:worker_threads nor node:crypto, and logs pino JSON lines', async () => {
    const dir = await dirs.make({
      'site.yaml':
        'hub: { socket: ./run/s.sock }\ngateways:\n  - { id: 1, type: virtual, config: {} }\naddresses:\n  - { key: "a/1", gateway: 1, point: { type: number, initial: 1 } }\n',
    });
    const modulesFile = join(dir, 'modules.json');
    child = spawn(process.execPath, ['--require', PROBE, CLI, 'start', '--config', 'site.yaml'], {
      cwd: dir,
      env: { ...process.env, WEBLE_TEST_MODULES_FILE: modulesFile },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));

    peers = createPeers(`modules_test_${process.pid}`, {
      logger: { debug() {}, warn() {}, error() {} },
      backoff: { initialMs: 20, maxMs: 200 },
    });
    const driverUp = new Promise<void>((resolve) => {
      peers?.on('connect', (name: string) => {
        if (name === 'driver_virtual_1') resolve();
      });
    });
    peers.connect(join(dir, 'run', 's.sock'));
    await driverUp;
    await peers('supervision').call('system', 'list', []);

    const written = whenOutput(child.stderr, () => stderr, /loaded-modules-probe: written/, 'the probe');
    child.kill('SIGUSR2');
    await written;
    const loaded = JSON.parse(readFileSync(modulesFile, 'utf8')) as { builtins: string[]; files: string[] };
    expect(loaded.builtins).toContain('NativeModule child_process'); // the probe sees what was loaded
    expect(loaded.builtins).not.toContain('NativeModule worker_threads');
    expect(loaded.builtins).not.toContain('NativeModule crypto');
    expect(
      loaded.files.filter((file) => /[\\/]node_modules[\\/](pino|thread-stream|sonic-boom)[\\/]/.test(file)),
    ).toEqual([]);

    const lines = stdout.split('\n').filter((line) => line.startsWith('{'));
    expect(lines.length).toBeGreaterThan(0);
    const first = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(first).toMatchObject({ level: 30, name: 'weble-supervisor', pid: child.pid, msg: expect.any(String) });
    expect(Object.keys(first).slice(0, 5)).toEqual(['level', 'time', 'pid', 'hostname', 'name']);

    await peers.close();
    peers = undefined;
    const exited = new Promise<number | null>((resolve) => child?.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
