/**
 * The web UI's pages beyond the values, in real headless Chromium against a supervised site: an
 * unknown route shows a not-found page; the Logs page shows the supervisor's own log, dates and
 * times, a level filter, a search, an error's stack trace frame by frame, and downloads the log;
 * on a phone (375 px) and a tablet (768 px) the addresses and processes show value, state and
 * actions inside the screen with nothing to scroll sideways. With WEBLE_SCREENSHOTS=ui it saves
 * docs/screenshots/{phone,tablet}-*.png.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hashPassword, md5Hex } from '@weble/web';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, logInAs } from './fixtures/chromium.js';
import { startSite, type RunningSite } from './fixtures/running-site.js';

const UI_DIR = fileURLToPath(new URL('../../web-ui/dist/', import.meta.url));
const SHOTS_DIR = fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url));
const SHOTS = process.env.WEBLE_SCREENSHOTS === 'ui';

let site: RunningSite;
let browser: Browser;
let page: Page;
let url: string;

beforeAll(async () => {
  if (!existsSync(join(UI_DIR, 'index.html')))
    throw new Error(`${UI_DIR} has no build: run pnpm --filter @weble/web-ui build first`);
  const passwordHash = await hashPassword(md5Hex('mypassword'));
  site = await startSite(`hub: { socket: ./run/s.sock }
http: { port: 0, ui: ${JSON.stringify(UI_DIR)} }
users:
  - { username: admin, role: admin, passwordHash: "${passwordHash}" }
gateways:
  - { id: 1, type: virtual, name: boiler, config: { tickMs: 500 } }
addresses:
  - { key: boiler/supply, gateway: 1, name: supply_temperature_of_the_main_boiler, alias: boiler.supply.temperature,
      unit: "°C", point: { type: number, simulate: { kind: sine, min: 18, max: 24, periodMs: 4000 } } }
  - { key: boiler/setpoint, gateway: 1, name: setpoint, unit: "°C", point: { type: number, initial: 21 } }
`);
  await site.until('webserver up', async () => ((await site.find('webserver'))?.state === 'up' ? true : undefined));
  const [address] = await site.client('webserver').call('web', 'address', []);
  url = (address as { url: string }).url;
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(url);
  await logInAs(page, 'admin', 'mypassword');
  await page.locator('tr[data-gateway="1"] .badge', { hasText: 'online' }).waitFor();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

async function shot(name: string): Promise<void> {
  if (!SHOTS) return;
  mkdirSync(SHOTS_DIR, { recursive: true });
  await page.screenshot({ path: join(SHOTS_DIR, `${name}.png`), fullPage: false });
}

describe('pages', () => {
  it('shows a not-found page for an unknown route, with the way back', async () => {
    await page.goto(`${url}/#/nowhere/at-all`);
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    await page.getByText('There is no page "nowhere/at-all".').waitFor();
    expect(await page.title()).toBe('Not found — Weble');
    await page.getByRole('link', { name: 'Go to the overview' }).click();
    await page.locator('tr[data-gateway="1"] .badge', { hasText: 'online' }).waitFor();
  });

  it("shows the supervisor's own log with dates, filters by level and text, shows a stack trace, and downloads", async () => {
    await page.getByRole('link', { name: 'Logs' }).click();
    await page.getByLabel('Process').selectOption('supervisor');
    const log = page.getByRole('log');
    const started = log.locator('.line', { hasText: 'webserver' }).first();
    await started.waitFor();
    expect(await started.textContent()).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} (INFO|DEBUG|WARN) /);
    // A line with an error, as a process writes it: its stack shows below it, frame by frame.
    const file = join(site.dir, 'run', 'logs', 'supervisor.log');
    const stack =
      'Error: the boiler is on fire\n    at check (/opt/weble/boiler.js:12:7)\n    at poll (/opt/weble/poller.js:40:3)';
    appendFileSync(
      file,
      `${JSON.stringify({ level: 50, time: Date.now(), msg: 'boiler check failed', err: { type: 'Error', message: 'the boiler is on fire', stack } })}\n`,
    );
    const failed = log.locator('.line.level-error', { hasText: 'boiler check failed' });
    await failed.waitFor();
    expect(await failed.locator('pre.stack').textContent()).toBe(stack);
    const total = await log.locator('.line').count();
    await page.getByLabel('Level').selectOption({ label: 'errors only' });
    await expect
      .poll(() => log.locator('.line:visible').count())
      .toBe(await log.locator('.line.level-error:visible, .line.level-fatal:visible').count());
    expect(await log.locator('.line:visible').count()).toBeLessThan(total);
    await failed.waitFor();
    await page.getByLabel('Level').selectOption({ label: 'all' });
    await page.getByLabel('Search').fill('on fire');
    await expect.poll(() => log.locator('.line:visible').count()).toBe(1);
    await page.getByLabel('Search').fill('');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^supervisor-.*\.log$/);
    const saved = readFileSync((await download.path())!, 'utf8');
    expect(saved).toContain('boiler check failed');
    expect(saved.trimEnd().split('\n').length).toBeGreaterThan(5);
  });

  for (const [device, width, height] of [
    ['phone', 375, 740],
    ['tablet', 768, 1024],
  ] as const) {
    it(`on a ${device} (${width} px) shows value, state and actions inside the screen, nothing to scroll sideways`, async () => {
      await page.setViewportSize({ width, height });
      await page.getByRole('link', { name: 'Addresses' }).click();
      const row = page.locator('tr[data-key="boiler/supply"]');
      await row.locator('td.value').waitFor();
      await expect.poll(() => row.locator('td.value .shown').textContent()).toMatch(/^\d/);
      const inside = async (selector: string): Promise<boolean> => {
        const box = await page.locator(selector).first().boundingBox();
        return box !== null && box.width > 0 && box.x >= 0 && box.x + box.width <= width;
      };
      for (const part of [
        'td.value',
        'button[aria-label="Write setpoint"]',
        'button[aria-label="Trend of supply_temperature_of_the_main_boiler"]',
      ]) {
        expect({ part, inside: await inside(`tr[data-key] ${part}`) }).toEqual({ part, inside: true });
      }
      expect(
        await page
          .locator('.table-wrap')
          .first()
          .evaluate((e) => e.scrollWidth - e.clientWidth),
      ).toBeLessThanOrEqual(0);
      const wide = await page.evaluate<string[]>(
        `[...document.querySelectorAll('body *')]` +
          `.filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5)` +
          `.map((e) => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))`,
      );
      expect(wide).toEqual([]);
      await shot(`${device}-addresses`);
      await page.getByRole('link', { name: 'Overview' }).click();
      const proc = page.locator('tr[data-process="driver_virtual_1"]');
      await proc.locator('.badge', { hasText: 'up' }).waitFor();
      for (const part of [
        '.badge',
        'button[aria-label="Restart driver_virtual_1"]',
        'button[aria-label="Stop driver_virtual_1"]',
      ]) {
        expect({ part, inside: await inside(`tr[data-process="driver_virtual_1"] ${part}`) }).toEqual({
          part,
          inside: true,
        });
      }
      expect(
        await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth'),
      ).toBeLessThanOrEqual(0);
      await shot(`${device}-overview`);
      await page.setViewportSize({ width: 1280, height: 800 });
    });
  }
});
