/**
 * Installed as an integrator installs it: every package packed (`pnpm pack`, which turns
 * `workspace:` ranges into versions), checked by publint and are-the-types-wrong, then
 * `npm install` of the tarballs a Modbus site needs, plus a third-party driver published under its
 * own scope (@acme/weble-driver-echo), in an empty directory outside the workspace: no pnpm, no
 * workspace links. The installed `weble-supervisor` runs the site against pymodbus, a user logs in
 * through POST /auth, and SIGTERM stops everything cleanly.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import createPeers, { type Peers } from '@weble/peers-core';
import { waitUntil } from '@weble/peers-core/testing';
import { hashPassword, md5Hex } from '@weble/supervisor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packAll, type PackedPackage } from '../scripts/packed-packages.mjs';
import { checkTarballs } from '../scripts/check-packages.mjs';
import { startSimulator, type Simulator } from '../drivers/modbus/test/support/simulator.js';
import { freePort } from '../packages/supervisor/test/fixtures/free-port.js';

const run = promisify(execFile);
const ACME = fileURLToPath(new URL('./fixtures/acme-driver', import.meta.url));
/** What a Modbus site installs: the supervisor and the Modbus driver (npm brings the rest, here the tarballs). */
const INSTALLED = [
  '@weble/supervisor',
  '@weble/driver-modbus',
  '@weble/web',
  '@weble/northbound',
  '@weble/peers-core',
  '@weble/peers-client',
  '@weble/driver-kit',
  '@weble/api',
];
const silent = { debug() {}, warn() {}, error() {} };

const work = mkdtempSync(join(tmpdir(), 'weble-packed-'));
const site = join(work, 'site');
let packed: PackedPackage[] = [];
let server: Simulator | undefined;
let supervisor: ChildProcess | undefined;
let client: Peers | undefined;
let output = '';
let httpPort = 0;

/** Ask `probe` every 100 ms until it returns true; fail after 20 s with `what` and the supervisor's output. */
async function pollUntil(what: string, probe: () => Promise<boolean>): Promise<void> {
  await waitUntil(probe, { timeoutMs: 20_000, intervalMs: 100, what }).catch((error: Error) => {
    throw new Error(`${error.message}\n${output}`);
  });
}

/** The environment without what pnpm and vitest set for npm (`npm_config_*`), so npm runs as a user's would. */
function plainEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(npm_|pnpm_|NODE_OPTIONS$|VITEST)/i.test(key)),
  );
}

beforeAll(async () => {
  const tarballs = join(work, 'tarballs');
  mkdirSync(tarballs);
  packed = await packAll(tarballs);
  const { stdout } = await run('npm', ['pack', '--pack-destination', tarballs, ACME], { env: plainEnv() });
  const acme = join(tarballs, stdout.trim().split('\n').at(-1)!.trim());
  mkdirSync(site);
  writeFileSync(join(site, 'package.json'), JSON.stringify({ name: 'boiler-room', private: true }));
  const wanted = packed.filter((pkg) => INSTALLED.includes(pkg.name)).map((pkg) => pkg.tarball);
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...wanted, acme], {
    cwd: site,
    env: plainEnv(),
    maxBuffer: 16 * 1024 * 1024,
  });

  server = await startSimulator({ transport: 'tcp', units: [1] });
  await server.set(1, 'holding', 10, [215]);
  httpPort = await freePort();
  const hash = await hashPassword(md5Hex('boiler-pw'));
  writeFileSync(
    join(site, 'site.yaml'),
    `hub: { socket: ./run/s.sock }
http: { port: ${httpPort}, host: 127.0.0.1 }
users:
  - { username: ada, role: admin, passwordHash: "${hash}" }
gateways:
  - { id: boiler, type: modbus, config: { transport: tcp, host: 127.0.0.1, port: ${server.port}, pollMs: 100 } }
  - { id: echo, type: echo, package: "@acme/weble-driver-echo", config: { prefix: "echo: " } }
addresses:
  - { key: boiler/setpoint, gateway: boiler, name: setpoint, point: { table: holding, address: 10, type: uint16 } }
  - { key: echo/text, gateway: echo, point: { initial: hello } }
`,
  );
}, 600_000);

afterAll(async () => {
  await client?.close();
  if (supervisor && supervisor.exitCode === null && supervisor.signalCode === null) supervisor.kill('SIGKILL');
  await server?.kill();
  rmSync(work, { recursive: true, force: true });
});

describe('the packed packages', () => {
  it('pass publint and are-the-types-wrong, every one of them', async () => {
    expect(packed.map((pkg) => pkg.name)).toEqual(
      expect.arrayContaining([...INSTALLED, '@weble/driver-bacnet', '@weble/logic']),
    );
    expect(packed.map((pkg) => pkg.name)).not.toContain('@weble/web-ui');
    expect(await checkTarballs(packed)).toEqual([]);
  }, 600_000);

  it(
    'install with plain npm outside the workspace: no driver but Modbus (no BACnet stack, no KNX library), ' +
      'no web-ui package, the UI inside @weble/web',
    () => {
      expect(site.startsWith(fileURLToPath(new URL('..', import.meta.url)))).toBe(false);
      const weble = readdirSync(join(site, 'node_modules', '@weble')).sort();
      expect(weble).toEqual([...INSTALLED.map((name) => name.slice('@weble/'.length))].sort());
      for (const library of ['@bacnet-js', 'knxultimate'])
        expect(existsSync(join(site, 'node_modules', library)), library).toBe(false);
      expect(existsSync(join(site, 'node_modules', '@weble', 'web', 'dist', 'ui', 'index.html'))).toBe(true);
      expect(existsSync(join(site, 'node_modules', '@acme', 'weble-driver-echo', 'package.json'))).toBe(true);
    },
  );
});

describe('a site run by the installed weble-supervisor', () => {
  it('serves the Modbus device and the foreign-scope driver, and logs a user in through POST /auth', async () => {
    const bin = join(site, 'node_modules', '.bin', 'weble-supervisor');
    const validated = await run('npx', ['--no-install', 'weble-supervisor', 'validate', '--config', 'site.yaml'], {
      cwd: site,
      env: plainEnv(),
    });
    expect(validated.stdout).toMatch(/driver echo: .*@acme\/weble-driver-echo\/bin\.mjs/);
    supervisor = spawn(process.execPath, [bin, 'start', '--config', 'site.yaml'], {
      cwd: site,
      env: plainEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    supervisor.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    supervisor.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    client = createPeers(`packed_test_${process.pid}`, { logger: silent, backoff: { initialMs: 20, maxMs: 200 } });
    client.connect(join(site, 'run', 's.sock'));
    await new Promise<void>((resolve) => client!.once('connect supervision', () => resolve()));
    const gateways = await client('supervision').require('gateways');
    const read = (key: string, expected: unknown): Promise<void> =>
      pollUntil(
        `${key} = ${String(expected)}`,
        async () => (await gateways.readValue(key).catch((error: Error) => error.message)) === expected,
      );
    await read('setpoint', 215);
    await gateways.writeValue('setpoint', 230);
    expect(await server!.get(1, 'holding', 10, 1)).toEqual([230]);
    await read('echo/text', 'echo: hello');
    await gateways.writeValue('echo/text', 'bonjour');
    await read('echo/text', 'echo: bonjour');

    await pollUntil('the webserver up', async () => {
      const [list] = (await client!('supervision').call('system', 'processes', [])) as [
        Array<{ name: string; state: string }>,
      ];
      return list.some((p) => p.name === 'webserver' && p.state === 'up');
    });
    const refused = await fetch(`http://127.0.0.1:${httpPort}/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'ada', password: md5Hex('wrong') }),
    });
    expect(refused.status).toBe(401);
    const login = await fetch(`http://127.0.0.1:${httpPort}/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'ada', password: md5Hex('boiler-pw') }),
    });
    expect(login.status).toBe(200);
    const session = (await login.json()) as { session: string; ws: string; peer: string };
    expect(session.peer).toMatch(/ada/);
    const page = await fetch(`http://127.0.0.1:${httpPort}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="app"');
  }, 120_000);

  it('stops cleanly on SIGTERM: exit 0, no driver left, the socket removed', async () => {
    const [processes] = (await client!('supervision').call('system', 'processes', [])) as [
      Array<{ name: string; pid?: number }>,
    ];
    const pids = processes.map((p) => p.pid).filter((pid): pid is number => typeof pid === 'number');
    expect(processes.map((p) => p.name).sort()).toEqual(
      expect.arrayContaining(['driver_echo_echo', 'driver_modbus_boiler']),
    );
    await client!.close();
    client = undefined;
    const exited = new Promise<number | null>((resolve) => supervisor!.once('exit', (code) => resolve(code)));
    supervisor!.kill('SIGTERM');
    expect(await exited).toBe(0);
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
    expect(existsSync(join(site, 'run', 's.sock'))).toBe(false);
  }, 60_000);
});
