/**
 * The web UI (packages/web-ui, built to dist/) in real headless Chromium (Debian's, driven by
 * playwright-core), served by the supervised `webserver` of a site with two virtual gateways:
 * a wrong password is shown as such; log in; both gateways `up`; a simulated value changes with a
 * flash; a write is type-checked, then reaches the driver (read back through the mesh); a trend
 * draws; a driver restarted from the UI comes back (new pid, `up`); the log page shows a
 * process's tail and its new lines live; the banner shows the link dropping and coming back
 * across a webserver restart; the session kept across a reload of the tab (sessionStorage), and
 * in a duplicated tab beside the first; logout, then a reload shows the login form; a session the
 * gateway forgot, live and stored; session expiry. With WEBLE_SCREENSHOTS=ui it saves
 * docs/screenshots/{login,overview,addresses,logs}.png. Build first: `pnpm --filter @weble/web-ui build`.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hashPassword, md5Hex } from '@weble/web';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, logInAs } from './fixtures/chromium.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSite, type RunningSite } from './fixtures/running-site.js';
import { freePort } from './fixtures/free-port.js';

const UI_DIR = fileURLToPath(new URL('../../web-ui/dist/', import.meta.url));
const SHOTS_DIR = fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url));
// The README's screenshots come from the full demo (test/demo-ui.test.ts); WEBLE_SCREENSHOTS=ui takes them here instead.
const SHOTS = process.env.WEBLE_SCREENSHOTS === 'ui';

let site: RunningSite;
let gatewayUrl: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

async function shot(name: string): Promise<void> {
  if (!SHOTS) return;
  mkdirSync(SHOTS_DIR, { recursive: true });
  await page.screenshot({ path: join(SHOTS_DIR, `${name}.png`), fullPage: false });
}

/** What this tab keeps in sessionStorage across a reload (null when nothing). */
async function storedSession(target: Page): Promise<Record<string, unknown> | null> {
  const text = await target.evaluate<string | null>("sessionStorage.getItem('weble.session')");
  return text === null ? null : (JSON.parse(text) as Record<string, unknown>);
}

/** Wait for the value of 1/0/1 (a sine every 100 ms) to change on the addresses page of `target`. */
async function valuesFlow(target: Page): Promise<void> {
  const cell = target.locator('tr[data-key="1/0/1"] td.value');
  await cell.waitFor();
  const now = await cell.textContent();
  await expect.poll(() => cell.textContent(), { timeout: 10_000 }).not.toBe(now);
}

beforeAll(async () => {
  if (!existsSync(join(UI_DIR, 'index.html')))
    throw new Error(`${UI_DIR} has no build: run pnpm --filter @weble/web-ui build first`);
  const passwordHash = await hashPassword(md5Hex('mypassword'));
  site = await startSite(`hub: { socket: ./run/s.sock }
http: { port: ${await freePort()}, ui: ${JSON.stringify(UI_DIR)} }
users:
  - { username: admin, passwordHash: "${passwordHash}", role: admin }
gateways:
  - { id: 1, type: virtual, name: boiler, config: { tickMs: 100 } }
  - { id: 2, type: virtual, name: hall, config: {} }
addresses:
  - { key: "1/0/1", gateway: 1, name: supply_temp, alias: boiler.supply, unit: "°C",
      point: { type: number, initial: 20, simulate: { kind: sine, min: 18, max: 24, periodMs: 4000 } } }
  - { key: "1/0/2", gateway: 1, name: burner_on, point: { type: boolean, initial: false } }
  - { key: "2/0/1", gateway: 2, name: hall_setpoint, unit: "°C", point: { type: number, initial: 19 } }
  - { key: "2/0/2", gateway: 2, name: hall_mode, point: { type: string, initial: comfort } }
supervision:
  restart: { initialMs: 50, maxMs: 200, stableMs: 10000, maxRestarts: 5, withinMs: 60000, failedRetryMs: 600000 }
`);
  await site.until('webserver up', async () => ((await site.find('webserver'))?.state === 'up' ? true : undefined));
  const [address] = await site.client('webserver').call('web', 'address', []);
  gatewayUrl = (address as { url: string }).url;
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.setDefaultTimeout(15_000);
}, 90_000);

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') console.log('PAGE', (await page.locator('body').innerText()).slice(0, 3000));
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

describe('the web UI in headless Chromium', () => {
  it('shows a wrong password as such', async () => {
    await page.goto(gatewayUrl);
    await expect.poll(() => page.title(), { timeout: 10_000 }).toBe('Log in — Weble');
    await shot('login');
    await logInAs(page, 'admin', 'not-the-password');
    await page.getByText('Wrong username or password.').waitFor();
    expect(await page.locator('#login-error').getAttribute('role')).toBe('alert');
  });

  it('logs in and shows both gateways online and their driver processes up', async () => {
    await logInAs(page, 'admin', 'mypassword');
    await page.locator('tr[data-gateway="1"] .badge', { hasText: 'online' }).waitFor();
    await page.locator('tr[data-gateway="2"] .badge', { hasText: 'online' }).waitFor();
    await page.locator('tr[data-process="driver_virtual_1"] .badge', { hasText: 'up' }).waitFor();
    await page.locator('tr[data-process="webserver"] .badge', { hasText: 'up' }).waitFor();
    expect(await page.getByRole('link', { name: 'Overview' }).getAttribute('aria-current')).toBe('page');
    // Memory and uptime are filled in from system.processes.
    await expect
      .poll(() => page.locator('tr[data-process="driver_virtual_1"] td').nth(5).textContent(), { timeout: 10_000 })
      .toMatch(/MiB$/);
    await shot('overview');
  });

  it('fits a tablet in portrait without horizontal scrolling of the page', async () => {
    await page.setViewportSize({ width: 768, height: 1024 });
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('shows a simulated value changing live, with a flash, and filters by search', async () => {
    await page.getByRole('link', { name: 'Addresses' }).click();
    const cell = page.locator('tr[data-key="1/0/1"] td.value');
    await cell.waitFor();
    const first = await cell.textContent();
    await expect.poll(() => cell.textContent(), { timeout: 10_000 }).not.toBe(first);
    await page.locator('tr[data-key="1/0/1"] td.value.flash').waitFor();
    await page.getByLabel('Search addresses').fill('hall');
    await expect.poll(() => page.locator('tbody tr:not([hidden])').count(), { timeout: 10_000 }).toBe(2);
    expect(await page.locator('tr[data-key="1/0/1"]').isHidden()).toBe(true);
    await page.getByLabel('Search addresses').fill('');
  });

  it('checks the type of a write, then writes a value that reaches the driver', async () => {
    const gateways = await site.client('supervision').require('gateways');
    await page.getByRole('button', { name: 'Write hall_setpoint' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('New value (number)').fill('warm');
    await dialog.getByRole('button', { name: 'Write' }).click();
    await dialog.getByText('Not written: expected a number, got "warm".').waitFor();
    expect(await gateways.readValue('2/0/1')).toBe(19);
    await dialog.getByLabel('New value (number)').fill('21.5');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    // Read back through the mesh from the driver itself.
    await site.until('21.5 in the driver', async () =>
      (await gateways.readValue('2/0/1')) === 21.5 ? true : undefined,
    );
    await expect
      .poll(() => page.locator('tr[data-key="2/0/1"] td.value').textContent(), { timeout: 10_000 })
      .toBe('21.5');
  });

  it('draws a live trend of the chosen address', async () => {
    await page.getByRole('button', { name: 'Trend of supply_temp' }).click();
    await page.locator('.trend-box .uplot canvas').waitFor();
    await page.getByRole('heading', { name: 'Trend of 1/0/1 (supply_temp)' }).waitFor();
    // Let a few values reach the chart: wait for 8 changes of the value cell (events, not time).
    await page.evaluate(`new Promise((resolve) => {
      let changes = 0;
      const observer = new MutationObserver(() => { if (++changes >= 8) { observer.disconnect(); resolve(); } });
      observer.observe(document.querySelector('tr[data-key="1/0/1"] td.value'), { childList: true, characterData: true, subtree: true });
    })`);
    await shot('addresses');
  });

  it('restarts a driver from the UI and sees it come back with a new pid', async () => {
    await page.getByRole('link', { name: 'Overview' }).click();
    const before = (await site.find('driver_virtual_2'))!;
    expect(before.state).toBe('up');
    await page.getByRole('button', { name: 'Restart driver_virtual_2' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Restart' }).click(); // the confirmation (web-ui-roles.test.ts)
    const after = await site.until('driver_virtual_2 back with a new pid', async () => {
      const p = await site.find('driver_virtual_2');
      return p?.state === 'up' && p.pid !== before.pid ? p : undefined;
    });
    const row = page.locator('tr[data-process="driver_virtual_2"]');
    await expect.poll(() => row.locator('td').nth(2).textContent(), { timeout: 10_000 }).toBe(String(after.pid));
    await row.locator('.badge', { hasText: 'up' }).waitFor();
    await page.locator('tr[data-gateway="2"] .badge', { hasText: 'online' }).waitFor();
  });

  it('shows the tail of a process log, and its new lines live', async () => {
    await page.getByRole('link', { name: 'Logs' }).click();
    await page.getByLabel('Process').selectOption('driver_virtual_2');
    const log = page.getByRole('log');
    await log.getByText('weble-supervisor: driver_virtual_2 exited').first().waitFor();
    const exits = await log.getByText('weble-supervisor: driver_virtual_2 exited').count();
    expect(page.url()).toMatch(/#\/logs\/driver_virtual_2$/);
    const system = await site.client('supervision').require('system');
    await system.restart('driver_virtual_2');
    await expect
      .poll(() => log.getByText('weble-supervisor: driver_virtual_2 exited').count(), { timeout: 10_000 })
      .toBe(exits + 1);
    await shot('logs');
  });

  it('shows a banner when the link to the gateway drops, and when it comes back', async () => {
    await page.getByRole('link', { name: 'Addresses' }).click();
    await page.locator('tr[data-key="1/0/1"] td.value').waitFor();
    const system = await site.client('supervision').require('system');
    const banner = page.locator('#link-banner');
    const restarted = system.restart('webserver');
    await banner.getByText('Link to the gateway lost. Reconnecting…').waitFor({ timeout: 15_000 });
    await restarted;
    await banner.getByText('Link to the gateway restored.').waitFor({ timeout: 20_000 });
    // Live values flow again after the return.
    const cell = page.locator('tr[data-key="1/0/1"] td.value');
    const now = await cell.textContent();
    await expect.poll(() => cell.textContent(), { timeout: 10_000 }).not.toBe(now);
  });

  it('keeps the session across a reload of the tab: the page comes back without the login form, values live', async () => {
    const stored = await storedSession(page);
    expect(Object.keys(stored ?? {}).sort()).toEqual(['expires', 'id', 'peer', 'username', 'ws']);
    expect(JSON.stringify(stored)).not.toContain('mypassword');
    expect(JSON.stringify(stored)).not.toContain(md5Hex('mypassword'));
    expect(await page.evaluate<number>('localStorage.length')).toBe(0);
    // Record whether the login form shows at any moment of the reloaded page's life.
    await page.addInitScript(`new MutationObserver(() => { if (document.getElementById('username')) window.__sawLogin = true; })
      .observe(document, { childList: true, subtree: true });`);
    await page.reload();
    expect(page.url()).toMatch(/#\/addresses$/);
    await valuesFlow(page);
    await page.getByRole('link', { name: 'Overview' }).click();
    await page.locator('tr[data-gateway="1"] .badge', { hasText: 'online' }).waitFor();
    await page.locator('tr[data-process="webserver"] .badge', { hasText: 'up' }).waitFor();
    expect(await page.evaluate('window.__sawLogin === true')).toBe(false);
    expect(await page.locator('.user').textContent()).toBe('admin');
    expect(await storedSession(page)).toEqual(stored);
    // Twice more, straight after one another: each page links with the same session.
    await page.reload();
    await page.reload();
    await page.locator('tr[data-gateway="2"] .badge', { hasText: 'online' }).waitFor();
    expect(await page.evaluate('window.__sawLogin === true')).toBe(false);
  });

  it('a duplicated tab (its sessionStorage copied) links beside the first, and both see live values', async () => {
    const stored = await storedSession(page);
    const twin = await context.newPage();
    // What Chromium's "Duplicate tab" does: the new tab starts with a copy of the session storage.
    await twin.addInitScript(`if (location.origin === ${JSON.stringify(new URL(gatewayUrl).origin)} && !sessionStorage.getItem('weble.session'))
      sessionStorage.setItem('weble.session', ${JSON.stringify(JSON.stringify(stored))});`);
    await twin.goto(`${gatewayUrl}/#/addresses`);
    await valuesFlow(twin);
    await page.getByRole('link', { name: 'Addresses' }).click();
    await valuesFlow(page);
    await valuesFlow(twin);
    await twin.close();
  });

  it('logs out; a reload then shows the login form', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByText('You have logged out.').waitFor();
    await page.getByLabel('Username').waitFor();
    expect(await storedSession(page)).toBeNull();
    await page.reload();
    await page.getByLabel('Username').waitFor();
    expect(await page.locator('#login-error').textContent()).toBe('');
    expect(await page.locator('.user').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });

  it('goes back to the login form when the gateway no longer knows the session, live or stored for a reload', async () => {
    const other = await context.newPage();
    await other.goto(gatewayUrl);
    await logInAs(other, 'admin', 'mypassword');
    await other.locator('tr[data-gateway="1"] .badge', { hasText: 'online' }).waitFor();
    // A tab that keeps its session while it shows another page, and comes back after the restart.
    const parked = await context.newPage();
    await parked.goto(gatewayUrl);
    await logInAs(parked, 'admin', 'mypassword');
    await parked.locator('tr[data-gateway="1"] .badge', { hasText: 'online' }).waitFor();
    await parked.goto('about:blank');
    // The webserver comes back without its session file: every session is gone.
    const system = await site.client('supervision').require('system');
    await system.stop('webserver');
    rmSync(join(site.dir, 'run', 'web-sessions.jsonl'), { force: true });
    await system.start('webserver');
    await other.getByText('Your session has ended on the gateway. Please log in again.').waitFor({ timeout: 20_000 });
    await logInAs(other, 'admin', 'mypassword');
    await other.locator('tr[data-gateway="1"] .badge', { hasText: 'online' }).waitFor();
    await other.close();

    await site.until('webserver up', async () => ((await site.find('webserver'))?.state === 'up' ? true : undefined));
    await parked.goto(gatewayUrl);
    await parked.getByText('Your session has ended on the gateway. Please log in again.').waitFor();
    await parked.getByLabel('Username').waitFor();
    expect(await storedSession(parked)).toBeNull();
    await parked.close();
  });

  it('goes back to the login form with a message when the session expires', async () => {
    const other = await context.newPage();
    await other.clock.install();
    await other.goto(gatewayUrl);
    await logInAs(other, 'admin', 'mypassword');
    await other.locator('tr[data-gateway="1"] .badge', { hasText: 'online' }).waitFor();
    await other.clock.fastForward('13:00:00'); // past the 12 h session lifetime
    await other.getByText('Your session has expired. Please log in again.').waitFor();
    await other.getByLabel('Username').waitFor();
    expect(await storedSession(other)).toBeNull();
    await other.close();
  });
});
