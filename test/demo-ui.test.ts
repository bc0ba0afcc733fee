/**
 * The demo gateway (examples/demo/site.yaml: simulated Modbus, BACnet, serial and KNX devices, the
 * drivers, logic_thermostat, the web UI) driven in real headless Chromium (Debian's, through
 * playwright-core) the way a newcomer uses it after `npm run dev`: a wrong password is shown as
 * such; log in; every demo gateway online and every process up; a value of the BACnet device
 * changing live; a write from the UI that reaches the Modbus device (read back from pymodbus
 * itself); a driver restarted from the UI coming back. The demo runs on free ports in a temp dir.
 * With WEBLE_SCREENSHOTS=1 it saves docs/screenshots/{login,overview,addresses,alarms,logs}.png.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import createPeers, { type Peers } from '@weble/peers-core';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../packages/supervisor/test/fixtures/chromium.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_LOGIN, freePort, startDemo, type Demo } from '../scripts/demo/demo.mjs';

const SHOTS_DIR = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));
const SHOTS = process.env.WEBLE_SCREENSHOTS === '1';
const silent = { debug() {}, warn() {}, error() {} };

const runDir = mkdtempSync(join(tmpdir(), 'weble-demo-'));
let demo: Demo;
let client: Peers;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const output: string[] = [];

interface ProcessInfo {
  name: string;
  state: string;
  pid?: number;
}

async function shot(name: string): Promise<void> {
  if (!SHOTS) return;
  mkdirSync(SHOTS_DIR, { recursive: true });
  await page.screenshot({ path: join(SHOTS_DIR, `${name}.png`) });
}

async function processes(): Promise<ProcessInfo[]> {
  return ((await client('supervision').call('system', 'processes', [])) as [ProcessInfo[]])[0];
}

/** Ask the pymodbus simulator for holding register `address` of unit 1, through its stdin. */
function modbusHolding(address: number): Promise<number> {
  const sim = demo.sims['modbus-sim']!;
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer): void => {
      text += chunk.toString();
      const match = /^(OK|ERR)(.*)$/m.exec(text);
      if (!match) return;
      sim.stdout!.off('data', onData);
      if (match[1] === 'OK') resolve(Number(match[2]!.trim()));
      else reject(new Error(`pymodbus: ${match[0]}`));
    };
    sim.stdout!.on('data', onData);
    sim.stdin!.write(`get 1 holding ${address} 1\n`);
  });
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}; demo output:\n${output.join('\n').slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 50)); // interval between probes (each a round trip), not a synchronisation sleep
  }
}

beforeAll(async () => {
  const ports = {
    http: await freePort('tcp'),
    modbus: await freePort('tcp'),
    bacnet: await freePort('udp'),
    knx: await freePort('udp'),
  };
  demo = await startDemo({
    ports,
    runDir,
    say: (line) => output.push(line),
    onExit: (label, how) => output.push(`${label} exited (${String(how)})`),
  });
  client = createPeers(`demo_test_${process.pid}`, { logger: silent });
  client.connect(demo.socket);
  await new Promise<void>((resolve) => client.once('connect supervision', () => resolve()));
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.setDefaultTimeout(20_000);
}, 120_000);

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail')
    console.log('PAGE', (await page.locator('body').innerText()).slice(0, 3000), '\nDEMO', output.join('\n'));
});

afterAll(async () => {
  await browser?.close();
  await client?.close();
  await demo?.stop();
  rmSync(runDir, { recursive: true, force: true });
});

describe('the demo gateway in headless Chromium', () => {
  it('runs every simulator (socat, pymodbus, knxd and the BACnet device are installed by setup)', () => {
    expect(Object.keys(demo.sims).sort()).toEqual(['bacnet-sim', 'knx-sim', 'modbus-sim', 'serial-sim']);
    expect(demo.leftOut).toEqual([]);
  });

  it('shows a wrong password as such', async () => {
    await page.goto(demo.url);
    await page.getByLabel('Username').fill(DEMO_LOGIN.username);
    await page.getByLabel('Password').fill('not-the-password');
    await shot('login');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByText('Wrong username or password.').waitFor();
  });

  it('logs in with the demo login and shows every demo gateway online and every process up', async () => {
    await page.getByLabel('Password').fill(DEMO_LOGIN.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    for (const gateway of ['plant', 'ahu', 'boiler', 'meter', 'lights']) {
      await page.locator(`tr[data-gateway="${gateway}"] .badge`, { hasText: 'online' }).waitFor();
    }
    const names = (await processes()).map((p) => p.name).sort();
    expect(names).toEqual([
      'driver_bacnet_ahu',
      'driver_knx_lights',
      'driver_modbus_boiler',
      'driver_serial_meter',
      'driver_virtual_plant',
      'logic_thermostat',
      'webserver',
    ]);
    for (const name of names) await page.locator(`tr[data-process="${name}"] .badge`, { hasText: 'up' }).waitFor();
    await shot('overview');
  });

  it('shows a value of the simulated BACnet device changing live', async () => {
    await page.getByRole('link', { name: 'Addresses' }).click();
    const cell = page.locator('tr[data-key="ahu/room"] td.value');
    await cell.waitFor();
    await expect.poll(() => cell.textContent(), { timeout: 15_000 }).toMatch(/^\d/);
    const first = await cell.textContent();
    await expect.poll(() => cell.textContent(), { timeout: 15_000 }).not.toBe(first);
  });

  it('writes a value from the UI that reaches the simulated Modbus device', async () => {
    expect(await modbusHolding(20)).not.toBe(65);
    await page.getByRole('button', { name: 'Write boiler_setpoint' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('New value (number)').fill('65');
    await dialog.getByRole('button', { name: 'Write' }).click();
    await dialog.waitFor({ state: 'detached' });
    await until('65 in pymodbus', async () => ((await modbusHolding(20)) === 65 ? true : undefined));
    await expect
      .poll(() => page.locator('tr[data-key="boiler/setpoint"] td.value').textContent(), { timeout: 10_000 })
      .toBe('65');
    await page.getByRole('button', { name: 'Trend of room_temp' }).click();
    await page.locator('.trend-box .uplot canvas').waitFor();
    await page.evaluate(`new Promise((resolve) => {
      let changes = 0;
      const observer = new MutationObserver(() => { if (++changes >= 3) { observer.disconnect(); resolve(); } });
      observer.observe(document.querySelector('tr[data-key="ahu/room"] td.value'), { childList: true, characterData: true, subtree: true });
    })`);
    await shot('addresses');
  });

  it('restarts a driver from the UI and sees it come back', async () => {
    await page.getByRole('link', { name: 'Overview' }).click();
    const before = (await processes()).find((p) => p.name === 'driver_modbus_boiler')!;
    await page.getByRole('button', { name: 'Restart driver_modbus_boiler' }).click();
    const confirm = page.getByRole('dialog');
    await confirm.getByText('gateway boiler').waitFor(); // what depends on it (docs/roles.md)
    await confirm.getByRole('button', { name: 'Restart' }).click();
    const after = await until('driver_modbus_boiler back with a new pid', async () => {
      const now = (await processes()).find((p) => p.name === 'driver_modbus_boiler');
      return now?.state === 'up' && now.pid !== before.pid ? now : undefined;
    });
    const row = page.locator('tr[data-process="driver_modbus_boiler"]');
    await expect.poll(() => row.locator('td').nth(2).textContent(), { timeout: 10_000 }).toBe(String(after.pid));
    await page.locator('tr[data-gateway="boiler"] .badge', { hasText: 'online' }).waitFor();
  });

  it('lists the demo alarms and counts them in the header', async () => {
    await page.getByRole('link', { name: 'Alarms', exact: true }).click();
    await expect
      .poll(() => page.locator('#alarms-status').textContent(), { timeout: 15_000 })
      .toMatch(/^\d+ of 4 alarms need attention$/);
    // The demo pump stops every 15 s for 7.5 s: its alarm (5 s on-delay) is raised within 20 s.
    await page.locator('tr[data-alarm="pump_stopped"]').waitFor({ timeout: 40_000 });
    await expect.poll(() => page.locator('#alarm-count').textContent(), { timeout: 15_000 }).toMatch(/unacknowledged$/);
    await page
      .locator('#history-status')
      .filter({ hasText: /^\d+ records$/ })
      .waitFor();
    await shot('alarms');
  }, 60_000);

  it('shows the thermostat logic working in its log', async () => {
    await page.getByRole('link', { name: 'Logs' }).click();
    await page.getByLabel('Process').selectOption('logic_thermostat');
    await page.getByRole('log').getByText('joined the mesh').first().waitFor();
    await shot('logs');
    expect(pageErrors).toEqual([]);
  });
});
