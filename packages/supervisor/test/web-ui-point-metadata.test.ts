/**
 * Point metadata in the web UI (real headless Chromium, the supervised `webserver` of a site with a
 * virtual gateway and a BACnet gateway on a simulated device): a read-only point offers no Write;
 * a multi-state point shows its state text and is written by choosing a state; a number with
 * limits shows them and a write outside is refused in the page (the driver keeps its value); in a
 * German locale "21,5" is 21.5; a BACnet output offers Relinquish, which empties its priority slot.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSimDevice, type SimDevice } from '@weble/driver-bacnet/testing';
import { hashPassword, md5Hex } from '@weble/web';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, logInAs } from './fixtures/chromium.js';
import { startSite, type RunningSite } from './fixtures/running-site.js';

const UI_DIR = fileURLToPath(new URL('../../web-ui/dist/', import.meta.url));

let site: RunningSite;
let sim: SimDevice;
let browser: Browser;
let page: Page;
let gateways: { readValue(key: string): Promise<unknown> };

beforeAll(async () => {
  if (!existsSync(join(UI_DIR, 'index.html')))
    throw new Error(`${UI_DIR} has no build: run pnpm --filter @weble/web-ui build first`);
  sim = await startSimDevice({ instance: 9201 });
  const passwordHash = await hashPassword(md5Hex('mypassword'));
  site = await startSite(`hub: { socket: ./run/s.sock }
http: { port: 0, ui: ${JSON.stringify(UI_DIR)} }
users:
  - { username: admin, role: admin, passwordHash: "${passwordHash}" }
gateways:
  - { id: v, type: virtual, config: { tickMs: 200 } }
  - { id: ahu, type: bacnet,
      config: { port: 0, interface: 127.0.0.1, broadcastAddress: "127.255.255.255:${sim.port}", apduTimeoutMs: 500, retries: 1, pollMs: 1000 } }
addresses:
  - { key: v/wave, gateway: v, name: wave, point: { type: number, simulate: { kind: sine, min: 0, max: 1, periodMs: 4000 } } }
  - { key: v/setpoint, gateway: v, name: setpoint, unit: "°C", min: 5, max: 30, step: 0.5, point: { type: number, initial: 20 } }
  - { key: v/mode, gateway: v, name: mode, states: { "1": Off, "2": Heat, "3": Cool }, point: { type: number, initial: 2 } }
  - { key: ahu/valve, gateway: ahu, name: valve, point: { device: 9201, object: "analog-output:1" } }
`);
  await site.until('webserver up', async () => ((await site.find('webserver'))?.state === 'up' ? true : undefined));
  gateways = (await site.client('supervision').require('gateways')) as unknown as typeof gateways;
  await site.until(
    'the valve read',
    async () => ((await gateways.readValue('ahu/valve').catch(() => undefined)) === 0 ? true : undefined),
    15_000,
  );
  const [address] = await site.client('webserver').call('web', 'address', []);
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'de-DE' });
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto((address as { url: string }).url);
  await logInAs(page, 'admin', 'mypassword');
  await page.getByRole('link', { name: 'Addresses' }).click();
  await page.locator('tr[data-key="ahu/valve"] td.value').waitFor();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await site?.close();
  sim?.close();
});

describe('point metadata in the UI', () => {
  it('offers no Write on a read-only point', async () => {
    const row = page.locator('tr[data-key="v/wave"]');
    await row.getByText('read-only').waitFor();
    expect(await row.getByRole('button', { name: 'Write wave' }).count()).toBe(0);
    expect(
      await page.locator('tr[data-key="v/setpoint"]').getByRole('button', { name: 'Write setpoint' }).count(),
    ).toBe(1);
  });

  it('shows a state text and writes a chosen state', async () => {
    const cell = page.locator('tr[data-key="v/mode"] td.value');
    await expect.poll(() => cell.textContent()).toBe('Heat');
    await page.getByRole('button', { name: 'Write mode' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('New value (state)').selectOption('3');
    await dialog.getByRole('button', { name: 'Write' }).click();
    await dialog.waitFor({ state: 'detached' });
    await site.until('3 in the driver', async () => ((await gateways.readValue('v/mode')) === 3 ? true : undefined));
    await expect.poll(() => cell.textContent()).toBe('Cool');
  });

  it('shows the limits, refuses a value outside them in the page, and takes a decimal comma', async () => {
    await page.getByRole('button', { name: 'Write setpoint' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Range 5 .. 30 °C, step 0.5').waitFor();
    await dialog.getByLabel('New value (number)').fill('31');
    await dialog.getByRole('button', { name: 'Write' }).click();
    await dialog.getByText('Not written: 31 is outside 5 .. 30.').waitFor();
    expect(await gateways.readValue('v/setpoint')).toBe(20);
    await dialog.getByLabel('New value (number)').fill('21,5');
    await dialog.getByRole('button', { name: 'Write' }).click();
    await dialog.waitFor({ state: 'detached' });
    await site.until('21.5 in the driver', async () =>
      (await gateways.readValue('v/setpoint')) === 21.5 ? true : undefined,
    );
  });

  it('relinquishes a BACnet output: its priority slot empties', async () => {
    await page.getByRole('button', { name: 'Write valve' }).click();
    let dialog = page.getByRole('dialog');
    await dialog.getByText('Range 0 .. 100').waitFor();
    await dialog.getByLabel('New value (number)').fill('40');
    await dialog.getByRole('button', { name: 'Write', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(sim.priorityArray('analog-output:1')[15]).toBe(40);
    await page.getByRole('button', { name: 'Write valve' }).click();
    dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Relinquish' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(sim.priorityArray('analog-output:1')[15]).toBeNull();
    await page.getByText('Relinquished valve').waitFor();
  });
});
