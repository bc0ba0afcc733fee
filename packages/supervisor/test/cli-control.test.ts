/**
 * `weble-supervisor start | stop | restart <process>` and `logs <process> [--follow]` (the built
 * dist/cli.js, as a child process) against a real running site; each action lands in the audit
 * trail under the CLI's peer name.
 */
import { execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSite, type RunningSite } from './fixtures/running-site.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const run = promisify(execFile);
let site: RunningSite;

beforeAll(async () => {
  site = await startSite(`hub: { socket: ./run/s.sock }
http: { port: 0 }
gateways:
  - { id: 3, type: virtual, name: plant, config: {} }
addresses:
  - { key: "3/0/1", gateway: 3, point: { type: number, initial: 0 } }
`);
  await site.until('both up', async () => ((await site.processes()).every((p) => p.state === 'up') ? true : undefined));
}, 60_000);

afterAll(async () => {
  await site?.close();
});

/** Run the CLI in the site's directory: exit code, stdout, stderr. */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { cwd: site.dir });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('process control from the command line', () => {
  it('restarts, stops and starts a driver, waiting for each to settle', async () => {
    const before = (await site.find('driver_virtual_3'))!.pid;
    expect(await cli('restart', 'driver_virtual_3', '--config', 'site.yaml')).toMatchObject({
      code: 0,
      stdout: 'driver_virtual_3: restart done: up\n',
    });
    const after = await site.find('driver_virtual_3');
    expect(after).toMatchObject({ state: 'up' });
    expect(after!.pid).not.toBe(before);
    expect(await cli('stop', 'driver_virtual_3', '--socket', 'run/s.sock')).toMatchObject({
      code: 0,
      stdout: 'driver_virtual_3: stop done: stopped\n',
    });
    expect((await site.find('driver_virtual_3'))?.state).toBe('stopped');
    expect(await cli('start', 'driver_virtual_3', '--config', 'site.yaml')).toMatchObject({
      code: 0,
      stdout: 'driver_virtual_3: start done: up\n',
    });
    const [entries] = (await site.client('supervision').call('audit', 'query', [{ action: 'process' }])) as [
      Array<{ user: string; target: string; result: string }>,
    ];
    expect(entries.map((e) => e.target)).toEqual(['driver_virtual_3', 'driver_virtual_3', 'driver_virtual_3']);
    expect(entries[0]!.user).toMatch(/^cli_[A-Za-z0-9_.-]+_\d+_[a-z0-9]+$/);
  });

  it('may stop and start the web server (the CLI does not go through it)', async () => {
    expect(await cli('stop', 'webserver', '--config', 'site.yaml')).toMatchObject({ code: 0 });
    expect(await cli('start', 'webserver', '--config', 'site.yaml')).toMatchObject({
      code: 0,
      stdout: 'webserver: start done: up\n',
    });
  });

  it('names an unknown process and a site that is not running', async () => {
    const unknown = await cli('restart', 'driver_nope', '--config', 'site.yaml');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(
      /UNKNOWN_PROCESS: no supervised process named "driver_nope" \(known: driver_virtual_3, webserver\)/,
    );
    const none = await cli('stop', 'webserver', '--socket', 'run/nothing.sock');
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/no supervisor is running on .*nothing\.sock \(ENOENT\)/);
    expect((await cli('stop')).code).toBe(64);
  });

  it('prints the tail of a log, and follows it until Ctrl-C', async () => {
    const tail = await cli('logs', 'webserver', '--lines', '3', '--config', 'site.yaml');
    expect(tail.code).toBe(0);
    expect(tail.stdout.trim().split('\n').length).toBeGreaterThan(0);
    expect(tail.stdout.trim().split('\n').length).toBeLessThanOrEqual(3);

    const follow = spawn(
      process.execPath,
      [CLI, 'logs', 'driver_virtual_3', '--follow', '--lines', '1', '--config', 'site.yaml'],
      { cwd: site.dir },
    );
    let stdout = '';
    const seen = (pattern: RegExp, from = 0): Promise<void> =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${pattern} in ${stdout}`)), 20_000);
        const check = (): void => {
          if (!pattern.test(stdout.slice(from))) return;
          clearTimeout(timer);
          follow.stdout.off('data', check);
          resolve();
        };
        follow.stdout.on('data', (c: Buffer) => ((stdout += c.toString()), check()));
        check();
      });
    await seen(/\n/); // the tail: following from here
    const firstLength = stdout.length;
    await site.client('supervision').call('system', 'restart', ['driver_virtual_3']);
    await seen(/\S/, firstLength); // lines written by the restart, after the tail
    const exited = new Promise<number | null>((resolve) => follow.once('exit', (code) => resolve(code)));
    follow.kill('SIGINT');
    expect(await exited).toBe(0);
  });
});
