/**
 * The web UI's history and quality marking (issue 15) in real headless Chromium, served by the
 * supervised `webserver` of a site whose logger has an hour of stored history (written into the
 * database before start): the trend opens with the stored history, also after a reload of the tab;
 * the range presets ask again; a second address joins the chart, a custom range and a drag
 * across the chart (zoom) load exactly the stored samples of their range, and the CSV download
 * holds them; a SIGKILLed driver greys its values with a `stale` badge and the
 * reason, and they are good again when it is back; the loggers page lists, creates (showing the
 * gateway's refusal first), edits and deletes loggers. Build first: `pnpm --filter @weble/web-ui build`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hashPassword, md5Hex } from '@weble/web';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, logInAs } from './fixtures/chromium.js';
import { startSite, type RunningSite } from './fixtures/running-site.js';
import { seedHistory } from './loggers/history-fixture.js';
import { freePort } from './fixtures/free-port.js';

const UI_DIR = fileURLToPath(new URL('../../web-ui/dist/', import.meta.url));
const HOUR = 3_600_000;

let site: RunningSite;
let browser: Browser;
let page: Page;
let gatewayUrl: string;
/** The first stored sample (a whole second: the custom range's inputs have seconds). */
let start: number;

beforeAll(async () => {
  if (!existsSync(join(UI_DIR, 'index.html')))
    throw new Error(`${UI_DIR} has no build: run pnpm --filter @weble/web-ui build first`);
  const passwordHash = await hashPassword(md5Hex('mypassword'));
  start = Math.floor((Date.now() - HOUR + 60_000) / 1000) * 1000;
  site = await startSite(
    `hub: { socket: ./run/s.sock }
http: { port: ${await freePort()}, ui: ${JSON.stringify(UI_DIR)} }
users:
  - { username: admin, passwordHash: "${passwordHash}", role: admin }
gateways:
  - { id: 1, type: virtual, name: boiler, config: { tickMs: 200 } }
addresses:
  - { key: "1/0/1", gateway: 1, name: supply_temp, unit: "°C", point: { type: number, simulate: { kind: sine, min: 18, max: 24, periodMs: 4000 } } }
  - { key: "1/0/2", gateway: 1, name: return_temp, unit: "°C", point: { type: number, initial: 15 } }
loggers:
  - { name: trend, addresses: ["1/0/1", "1/0/2"] }
supervision:
  restart: { initialMs: 3000, maxMs: 3000 }
`,
    // An hour of one value a second, with a spike.
    (dir) => {
      seedHistory(dir, 'trend', '1/0/1', start, 1000, 3_000, (i) => (i === 1500 ? 99 : 20 + Math.sin(i / 60)));
      seedHistory(dir, 'trend', '1/0/2', start, 2000, 1_500, (i) => 15 + Math.cos(i / 30));
    },
  );
  await site.until('webserver and store up', async () => {
    const list = await site.processes();
    return ['webserver', 'loggers_store', 'driver_virtual_1'].every(
      (n) => list.find((p) => p.name === n)?.state === 'up',
    )
      ? true
      : undefined;
  });
  const [address] = await site.client('webserver').call('web', 'address', []);
  gatewayUrl = (address as { url: string }).url;
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  page.setDefaultTimeout(15_000);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

/** Open the trend of supply_temp on the addresses page and wait for its stored history. */
async function openTrend(): Promise<number> {
  await page.goto(`${gatewayUrl}#/addresses`);
  await page.getByRole('button', { name: 'Trend of supply_temp' }).click();
  await page.locator('#trend-status', { hasText: 'stored points' }).waitFor();
  return Number(await page.locator('.trend-box').getAttribute('data-points'));
}

describe('history and quality in the web UI', () => {
  it('opens the trend with the stored history, also after a reload', async () => {
    await page.goto(gatewayUrl);
    await logInAs(page, 'admin', 'mypassword');
    await page.getByRole('link', { name: 'Addresses' }).waitFor();
    // 3,000 stored samples in the last hour, drawn as at most 1,000 points (min and max per bucket).
    const first = await openTrend();
    expect(first).toBeGreaterThan(400);
    expect(first).toBeLessThanOrEqual(1100);
    await page.reload();
    expect(await openTrend()).toBeGreaterThan(400);
    await page.getByRole('button', { name: '24 h' }).click();
    await expect.poll(() => page.locator('[data-range="24 h"]').getAttribute('aria-pressed')).toBe('true');
    await page.locator('#trend-status', { hasText: 'stored points' }).waitFor();
  });

  it('draws two addresses on one chart, a custom range, a zoom by dragging, and downloads them as CSV', async () => {
    await openTrend();
    await page.getByRole('button', { name: 'Add return_temp to the trend' }).click();
    await page.locator('.trend-box[data-lines="2"]').waitFor();
    await page.locator('#trend-status', { hasText: 'stored points' }).waitFor();
    expect(await page.locator('.u-legend').textContent()).toMatch(/supply_temp.*return_temp/);

    // Minutes 10 to 20 of the stored hour: 601 samples of supply_temp (1 s apart), 301 of return_temp (2 s).
    const local = (ms: number): Promise<string> =>
      page.evaluate((t) => new Date(t - new Date(t).getTimezoneOffset() * 60_000).toISOString().slice(0, 19), ms);
    await page.locator('#trend-from').fill(await local(start + 600_000));
    await page.locator('#trend-to').fill(await local(start + 1_200_000));
    await page.getByRole('button', { name: 'Show range' }).click();
    await page.locator('#trend-status', { hasText: '902 stored points' }).waitFor();
    expect(await page.locator('.trend-box').getAttribute('data-points')).toBe('902');
    expect(await page.locator('[data-range][aria-pressed="true"]').count()).toBe(0);

    // Drag across the middle half of the plot: that part's samples are loaded, nothing outside it.
    const plot = (await page.locator('.trend-box .u-over').boundingBox())!;
    const y = plot.y + plot.height / 2;
    await page.mouse.move(plot.x + plot.width * 0.25, y);
    await page.mouse.down();
    await page.mouse.move(plot.x + plot.width * 0.5, y, { steps: 5 });
    await page.mouse.move(plot.x + plot.width * 0.75, y, { steps: 5 });
    await page.mouse.up();
    await expect
      .poll(async () => new Date(await page.locator('#trend-from').inputValue()).getTime())
      .toBeGreaterThan(start + 700_000);
    await page.locator('#trend-status', { hasText: 'stored points' }).waitFor();
    const from = new Date(await page.locator('#trend-from').inputValue()).getTime();
    const to = new Date(await page.locator('#trend-to').inputValue()).getTime();
    expect(to).toBeLessThan(start + 1_100_000);
    const inRange = (step: number, count: number): number =>
      Array.from({ length: count }, (_, i) => start + i * step).filter((t) => t >= from && t <= to).length;
    // The inputs show whole seconds; the range asked is the drag's own (ms): allow the edge samples.
    const points = Number(await page.locator('.trend-box').getAttribute('data-points'));
    expect(Math.abs(points - (inRange(1000, 3000) + inRange(2000, 1500)))).toBeLessThanOrEqual(4);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('trend.csv');
    const lines = readFileSync((await download.path())!, 'utf8')
      .trim()
      .split('\n');
    expect(lines[0]).toBe('time,key,value,quality');
    const rows = lines.slice(1).map((line) => line.split(','));
    expect(rows.length).toBe(points);
    expect(new Set(rows.map((r) => r[1]))).toEqual(new Set(['1/0/1', '1/0/2']));
    for (const [time, , , quality] of rows) {
      expect(Date.parse(time!)).toBeGreaterThanOrEqual(from - 1000);
      expect(Date.parse(time!)).toBeLessThanOrEqual(to + 1000);
      expect(quality).toBe('good');
    }
  });

  it('refuses a custom range whose From is not before its To', async () => {
    await page.locator('#trend-from').fill(await page.locator('#trend-to').inputValue());
    await page.getByRole('button', { name: 'Show range' }).click();
    await page.locator('#trend-status', { hasText: 'Custom range: From must be before To' }).waitFor();
  });

  it('greys the values of a SIGKILLed driver with a stale badge and the reason, and not when it is back', async () => {
    const cell = page.locator('tr[data-key="1/0/1"] td.value');
    await expect.poll(() => cell.getAttribute('data-quality')).toBe('good');
    const driver = (await site.find('driver_virtual_1'))!;
    process.kill(driver.pid!, 'SIGKILL');
    await page.locator('tr[data-key="1/0/1"] td.value[data-quality="stale"]').waitFor();
    expect(await cell.locator('.quality-badge').textContent()).toBe('stale');
    expect(await cell.getAttribute('title')).toMatch(/^stale: gateway 1 \(boiler\) offline/);
    await page.locator('tr[data-key="1/0/1"] td.value[data-quality="good"]').waitFor({ timeout: 20_000 });
    expect(await cell.locator('.quality-badge').isHidden()).toBe(true);
  }, 40_000);

  it('lists, creates, edits and deletes loggers on the loggers page', async () => {
    await page.getByRole('link', { name: 'Loggers' }).click();
    await page.locator('tr[data-logger="trend"]').waitFor();
    expect(await page.locator('tr[data-logger="trend"] td').nth(1).textContent()).toBe('on change');
    await page.getByLabel('Name', { exact: true }).fill('extra');
    await page.getByLabel('Addresses (keys, names or patterns, comma separated)').fill('nothing/*');
    await page.getByLabel('Keep (days)').fill('30');
    await page.getByRole('button', { name: 'Save logger' }).click();
    await page.locator('#logger-error', { hasText: 'matches no address' }).waitFor();
    await page.getByLabel('Addresses (keys, names or patterns, comma separated)').fill('1/0/*');
    await page.getByRole('button', { name: 'Save logger' }).click();
    await page.locator('tr[data-logger="extra"]').waitFor();
    expect(await page.locator('tr[data-logger="extra"] td').nth(2).textContent()).toBe('30 d');
    await page.getByRole('button', { name: 'Edit extra' }).click();
    await page.getByLabel('Sample every (ms)').fill('60000');
    await page.getByRole('button', { name: 'Save logger' }).click();
    await page.locator('tr[data-logger="extra"] td', { hasText: 'every 60000 ms' }).waitFor();
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Delete extra' }).click();
    await page.locator('tr[data-logger="extra"]').waitFor({ state: 'detached' });
    expect(await site.client('supervision').call('loggers', 'listLoggers', [])).toEqual([
      [expect.objectContaining({ name: 'trend' })],
    ]);
  });
});
