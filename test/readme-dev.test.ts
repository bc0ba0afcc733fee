/**
 * The README's first command, as a newcomer runs it: a fresh `git clone` of this repository,
 * `npm run dev` in it (set-up, build, simulators, supervisor, web UI), wait for the URL it
 * prints, check every process of the demo is up and the UI answers, then Ctrl-C (SIGINT to the
 * process group, as a terminal sends it) and check that no process of the clone is left.
 * The clone's `pnpm build` (turbo) is given this checkout's turbo cache: what it builds is hashed
 * from the same sources, so it replays the outputs this checkout built from scratch (the test
 * command's own `pnpm build`, or a miss builds them here). Everything else runs as a newcomer's
 * would: set-up, install, simulators, supervisor, web UI.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import createPeers from '@weble/peers-core';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const silent = { debug() {}, warn() {}, error() {} };

/** The first command of the README's "two commands" block. */
function firstCommand(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const block = /## The two commands[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  const line = block.split('\n').find((l) => l.trim() !== '') ?? '';
  return line.replace(/#.*$/, '').trim();
}

/** Pids whose command line or working directory lies inside `dir`. */
function processesIn(dir: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      let cwd = '';
      try {
        cwd = readlinkSync(`/proc/${pid}/cwd`);
      } catch {
        // a process exiting right now
      }
      if (cmdline.includes(dir) || cwd.startsWith(dir)) found.push(`${pid}: ${cmdline.trim()}`);
    } catch {
      // gone
    }
  }
  return found;
}

const work = mkdtempSync(join(tmpdir(), 'weble-clone-'));
const clone = join(work, 'weble');
let dev: ChildProcess | undefined;
let output = '';

afterAll(() => {
  if (dev?.pid !== undefined && dev.exitCode === null) {
    try {
      process.kill(-dev.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  for (const line of processesIn(clone)) process.kill(Number(line.split(':')[0]), 'SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

function waitFor(pattern: RegExp, ms: number): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const match = pattern.exec(output);
      if (match) {
        clearTimeout(timer);
        dev!.stdout!.off('data', check);
        resolve(match);
      }
      return Boolean(match);
    };
    const timer = setTimeout(
      () => reject(new Error(`no ${pattern} within ${ms} ms; output:\n${output.slice(-3000)}`)),
      ms,
    );
    dev!.stdout!.on('data', check);
    dev!.once('exit', (code) => reject(new Error(`npm run dev exited (${code}); output:\n${output.slice(-3000)}`)));
    check();
  });
}

describe("the README's first command on a fresh clone", () => {
  it('boots the whole demo gateway, prints the URL and login, and Ctrl-C leaves nothing behind', async () => {
    const command = firstCommand();
    expect(command).toBe('npm run dev');
    const head = spawnSync('git', ['-C', ROOT, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).stdout.trim();
    const cloned = spawnSync('git', ['clone', '--quiet', ROOT, clone], { encoding: 'utf8' });
    expect(cloned.status, cloned.stderr).toBe(0);
    const checkout = spawnSync('git', ['-C', clone, 'checkout', '--quiet', head], { encoding: 'utf8' });
    expect(checkout.status, checkout.stderr).toBe(0);

    const env = { ...process.env, TURBO_CACHE_DIR: join(ROOT, '.turbo', 'cache') };
    dev = spawn('sh', ['-c', command], { cwd: clone, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    dev.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    dev.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const [, url] = await waitFor(
      /dev: the gateway is up: open (http:\/\/\S+)\s+\(login admin \/ weble-demo\)/,
      600_000,
    );

    const page = await fetch(url!);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);

    const client = createPeers(`readme_test_${process.pid}`, { logger: silent });
    client.connect(join(clone, 'examples/demo/run/supervision.sock'));
    await new Promise<void>((resolve) => client.once('connect supervision', () => resolve()));
    const [processes] = (await client('supervision').call('system', 'processes', [])) as [
      Array<{ name: string; state: string }>,
    ];
    const names = processes.map((p) => p.name).sort();
    expect(names).toEqual([
      'driver_bacnet_ahu',
      'driver_knx_lights',
      'driver_modbus_boiler',
      'driver_serial_meter',
      'driver_virtual_plant',
      'logic_thermostat',
      'webserver',
    ]);
    const down = processes.filter((p) => p.state !== 'up');
    expect(down, JSON.stringify(down)).toEqual([]);
    await client.close();

    // 'close': every process holding the output pipe (npm, the launcher, the demo) is gone. The
    // shell itself may die of the SIGINT, as in a terminal; the launcher stops the demo and exits 0.
    const closed = new Promise<[number | null, string | null]>((resolve) =>
      dev!.once('close', (code, signal) => resolve([code, signal])),
    );
    process.kill(-dev.pid!, 'SIGINT');
    const [code, signal] = await closed;
    expect(code === 0 || signal === 'SIGINT', `exit ${code} ${signal}`).toBe(true);
    expect(output).toContain('dev: stopped');
    expect(processesIn(clone)).toEqual([]);
  }, 900_000);
});
