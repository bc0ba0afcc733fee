/**
 * `pnpm soak`: the flatness check of issue 20, not part of the test suite. A real site (the built
 * `weble-supervisor start`) with the web UI, a Modbus gateway polling 1,000 holding registers of
 * pymodbus every second and a virtual gateway whose points move; 20 headless Chromium sessions,
 * each in a loop: log in, open Addresses and watch the live values (the first page, then the
 * virtual points found with the search box), log out. RSS and heap (after a
 * full GC, memory-probe.cjs) of the web server, the supervisor and the Modbus driver are printed
 * at minute 5 and at the end, with the change; the target is within 10%.
 * SOAK_MINUTES (default 30) shortens the run, SOAK_SESSIONS (default 20) the number of browsers;
 * with fewer than 10 minutes, the first sample is taken at half time instead of minute 5.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import createPeers from '@weble/peers-core';
import { chromium } from 'playwright-core';
import { freePort } from '../demo/demo.mjs';
import { rss } from '../bench/lib/idle-drivers.mjs';
import { startModbusSim } from '../bench/lib/field-devices.mjs';

const MINUTES = Number(process.env.SOAK_MINUTES ?? 30);
const SESSIONS = Number(process.env.SOAK_SESSIONS ?? 20);
const POINTS = 1_000;
const FIRST_SAMPLE_MS = (MINUTES >= 10 ? 5 : MINUTES / 2) * 60_000;
const END_MS = MINUTES * 60_000;
const WATCH_MS = 10_000;
const CLI = fileURLToPath(new URL('../../packages/supervisor/dist/cli.js', import.meta.url));
const UI_DIR = fileURLToPath(new URL('../../packages/web-ui/dist/', import.meta.url));
const PROBE = fileURLToPath(new URL('./memory-probe.cjs', import.meta.url));
const PASSWORD = 'soak-password';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const silent = { debug() {}, warn() {}, error() {} };
const mib = (bytes) => (bytes / 2 ** 20).toFixed(1);

if (!existsSync(join(UI_DIR, 'index.html'))) throw new Error(`${UI_DIR} has no build: run pnpm build first`);
const dir = mkdtempSync(join(tmpdir(), 'weble-soak-'));
const probeDir = join(dir, 'probe');
mkdirSync(probeDir);
const sim = await startModbusSim({ size: 2 * POINTS + 10 });
const passwordHash = execFileSync(process.execPath, [CLI, 'hash-password'], {
  input: `${PASSWORD}\n`,
  encoding: 'utf8',
}).trim();
const modbusAddresses = Array.from(
  { length: POINTS },
  (_, i) => `  - { key: "plc/r${i}", gateway: 1, point: { table: holding, address: ${i} } }`,
);
const virtualAddresses = Array.from(
  { length: 10 },
  (_, i) =>
    `  - { key: "demo/v${i}", gateway: 2, point: { type: number, simulate: { kind: sine, min: 0, max: 100, periodMs: ${20_000 + i * 1000} } } }`,
);
writeFileSync(
  join(dir, 'site.yaml'),
  `hub: { socket: ./run/s.sock }
http: { port: ${await freePort()}, ui: ${JSON.stringify(UI_DIR)} }
users:
${Array.from({ length: SESSIONS }, (_, i) => `  - { username: soak${i}, passwordHash: "${passwordHash}" }`).join('\n')}
gateways:
  - { id: 1, type: modbus, name: plc, config: { transport: tcp, host: 127.0.0.1, port: ${sim.port}, pollMs: 1000, timeoutMs: 2000 } }
  - { id: 2, type: virtual, name: demo, config: { tickMs: 1000 } }
addresses:
${[...modbusAddresses, ...virtualAddresses].join('\n')}
`,
);
// Registers that move, so the driver reports values all along: 10 a second (every page shows
// every address; with 50 a second, several headless pages sharing one renderer fell behind).
const MOVING = 10;
const mover = setInterval(() => {
  const base = Math.floor(Math.random() * (POINTS - MOVING));
  void sim.command(
    `set 1 holding ${base} ${Array.from({ length: MOVING }, () => Math.floor(Math.random() * 65536)).join(' ')}`,
  );
}, 1_000);

const supervisor = spawn(process.execPath, [CLI, 'start', '--config', join(dir, 'site.yaml')], {
  stdio: ['ignore', 'ignore', 'pipe'],
  env: {
    ...process.env,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${PROBE}`.trim(),
    WEBLE_SOAK_PROBE_DIR: probeDir,
    WEBLE_LOG_LEVEL: 'warn',
  },
});
let supervisorErr = '';
supervisor.stderr.on('data', (chunk) => (supervisorErr = (supervisorErr + chunk).slice(-4000)));
const client = createPeers(`soak_${process.pid}`, { logger: silent, backoff: { initialMs: 50, maxMs: 500 } });
client.connect(join(dir, 'run', 's.sock'));
await new Promise((resolve) => client.once('connect supervision', resolve));
const processes = async () => (await client('supervision').call('system', 'processes', []))[0];
for (const deadline = Date.now() + 60_000; ;) {
  const list = await processes();
  const up = (name) => list.find((p) => p.name === name)?.state === 'up';
  if (up('webserver') && up('driver_modbus_1') && up('driver_virtual_2')) break;
  if (Date.now() > deadline) throw new Error(`site not up within 60 s: ${supervisorErr}`);
  await new Promise((resolve) => setTimeout(resolve, 200)); // polling the status, not a synchronisation
}
const [{ url }] = await client('webserver').call('web', 'address', []);

/** Heap and RSS of `pid`: SIGUSR2 to its probe, then its file. */
async function sample(pid) {
  const file = join(probeDir, `${pid}.json`);
  rmSync(file, { force: true });
  process.kill(pid, 'SIGUSR2');
  for (let i = 0; i < 100 && !existsSync(file); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  const usage = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  return { rss: rss(pid), heap: usage.heapUsed ?? NaN, external: usage.external ?? NaN };
}
async function sampleAll() {
  const list = await processes();
  const pidOf = (name) => list.find((p) => p.name === name)?.pid;
  return {
    webserver: await sample(pidOf('webserver')),
    supervisor: await sample(supervisor.pid),
    driver_modbus_1: await sample(pidOf('driver_modbus_1')),
  };
}

const started = Date.now();
let cycles = 0;
let failures = 0;
/** One user: log in, watch the addresses, log out, again, until the end. */
async function user(index) {
  // A browser each: pages of one browser on one site share a renderer, and 20 live tables in one
  // renderer fall behind (the clicks then time out), which is not what 20 users do.
  // People do not all arrive in the same second: the browsers start one a second.
  await new Promise((resolve) => setTimeout(resolve, index * 1_000));
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  browsers.push(browser);
  while (Date.now() - started < END_MS) {
    const context = await browser.newContext();
    let page;
    let step = 'open the page';
    try {
      page = await context.newPage();
      page.setDefaultTimeout(30_000);
      await page.goto(url);
      await page.getByLabel('Username').fill(`soak${index}`);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Log in' }).click();
      step = 'open Addresses';
      await page.getByRole('link', { name: 'Addresses' }).click();
      step = 'see the live values';
      await page.locator('tr[data-key="plc/r0"]').waitFor();
      await page.waitForTimeout(WATCH_MS / 2); // watching live values is the load, not a synchronisation
      step = 'search the virtual points';
      await page.getByLabel('Search addresses').fill('demo/');
      await page.locator('tr[data-key="demo/v0"]').waitFor();
      await page.waitForTimeout(WATCH_MS / 2); // watching live values is the load, not a synchronisation
      step = 'log out';
      await page.getByRole('button', { name: 'Log out' }).click({ force: true }); // the live table keeps the layout moving
      await page.getByLabel('Username').waitFor();
      cycles++;
    } catch (error) {
      failures++;
      const shown = await page
        ?.locator('body')
        .innerText({ timeout: 2_000 })
        .catch(() => '?');
      if (failures <= 5)
        console.error(
          `soak: a session failed to ${step}: ${error.message.split('\n')[0]} (the page shows: ${String(shown).replace(/\s+/g, ' ').slice(0, 200)})`,
        );
    } finally {
      await context.close();
    }
  }
}

console.log(
  `soak: ${MINUTES} min, ${SESSIONS} browser sessions, Modbus driver polling ${POINTS} points; first sample at ${(FIRST_SAMPLE_MS / 60_000).toFixed(1)} min`,
);
const browsers = [];
const users = Array.from({ length: SESSIONS }, (_, i) => user(i));
await new Promise((resolve) => setTimeout(resolve, FIRST_SAMPLE_MS));
const first = await sampleAll();
console.log(`soak: first sample taken (${cycles} sessions so far)`);
await Promise.all(users);
const last = await sampleAll();

console.log(
  `\n## Soak: ${MINUTES} min, ${SESSIONS} browser sessions logging in, watching and out ` +
    `(${cycles} sessions, ${failures} failed), Modbus polling ${POINTS} points\n`,
);
const when = `${(FIRST_SAMPLE_MS / 60_000).toFixed(1)} min`;
console.log(
  `| process | RSS at ${when} | RSS at end | change | heap at ${when} | heap at end | change | external (Buffers) at ${when} / end | within 10% |`,
);
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---|');
const pct = (a, b) => `${(((b - a) / a) * 100).toFixed(1)}%`;
for (const name of Object.keys(first)) {
  const a = first[name];
  const b = last[name];
  const flat = b.rss <= a.rss * 1.1 && b.heap <= a.heap * 1.1;
  console.log(
    `| ${name} | ${mib(a.rss)} MiB | ${mib(b.rss)} MiB | ${pct(a.rss, b.rss)} ` +
      `| ${mib(a.heap)} MiB | ${mib(b.heap)} MiB | ${pct(a.heap, b.heap)} ` +
      `| ${mib(a.external)} / ${mib(b.external)} MiB | ${flat ? 'yes' : 'NO'} |`,
  );
}

clearInterval(mover);
for (const browser of browsers) await browser.close();
await client.close();
supervisor.kill('SIGTERM');
await new Promise((resolve) => supervisor.once('exit', resolve));
sim.stop();
rmSync(dir, { recursive: true, force: true });
process.exit(0);
