/**
 * The alarms in the web UI (issue 17) in real headless Chromium, served by the supervised
 * `webserver` of a site with a virtual gateway: the header's live count on every page (no alarms,
 * then active and unacknowledged, coloured by the worst severity); the alarms page lists an alarm
 * raised by a written value with its severity colour, acknowledges it with a comment (recorded as
 * the logged-in user), shows the gateway's refusal when someone else acknowledged first, drops it
 * when it clears; the history answers its filters. Build first: `pnpm --filter @weble/web-ui build`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hashPassword, md5Hex } from '@weble/web';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, logInAs } from './fixtures/chromium.js';
import { startSite, type RunningSite } from './fixtures/running-site.js';
import { freePort } from './fixtures/free-port.js';

const UI_DIR = fileURLToPath(new URL('../../web-ui/dist/', import.meta.url));

let site: RunningSite;
let browser: Browser;
let page: Page;
let gatewayUrl: string;

const write = (key: string, value: unknown): Promise<unknown[]> =>
  site.client('supervision').call('gateways', 'writeValue', [key, value]);
const count = () => page.locator('#alarm-count');
/** expect.poll with the page's timeout (a loaded machine may take seconds to log in and render). */
const poll = <T>(probe: () => Promise<T>) => expect.poll(probe, { timeout: 15_000 });
// The browser's own, in functions evaluated in the page (this package has no DOM types).
declare function getComputedStyle(element: unknown): { backgroundColor: string };
type WithDataset = { dataset: Record<string, string | undefined> };
/** An element's computed background colour (evaluated in the page). */
const BACKGROUND = (element: unknown): string => getComputedStyle(element).backgroundColor;

beforeAll(async () => {
  if (!existsSync(join(UI_DIR, 'index.html')))
    throw new Error(`${UI_DIR} has no build: run pnpm --filter @weble/web-ui build first`);
  const passwordHash = await hashPassword(md5Hex('mypassword'));
  site = await startSite(`hub: { socket: ./run/s.sock }
http: { port: ${await freePort()}, ui: ${JSON.stringify(UI_DIR)} }
users:
  - { username: operator1, role: operator, passwordHash: "${passwordHash}" }
gateways:
  - { id: 1, type: virtual, name: plant, config: {} }
addresses:
  - { key: "tank/level", gateway: 1, name: tank_level, unit: "%", point: { type: number, initial: 50 } }
  - { key: "pump/fault", gateway: 1, name: pump_fault, point: { type: boolean, initial: false } }
alarms:
  - { id: tank_overflow, address: tank_level, kind: high, limit: 90, hysteresis: 5, severity: critical, message: "Tank about to overflow" }
  - { id: pump_fault, address: pump/fault, kind: state, severity: minor, message: "Pump reports a fault" }
`);
  await site.until('webserver and driver up', async () => {
    const list = await site.processes();
    return ['webserver', 'driver_virtual_1'].every((n) => list.find((p) => p.name === n)?.state === 'up')
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

describe('alarms in the web UI', () => {
  it('counts alarms live in the header of every page', async () => {
    await page.goto(gatewayUrl);
    await logInAs(page, 'operator1', 'mypassword');
    await poll(() => count().textContent()).toBe('No alarms');
    await write('tank/level', 97);
    await poll(() => count().textContent()).toBe('1 active · 1 unacknowledged');
    expect(await count().getAttribute('data-severity')).toBe('critical');
    expect(await count().evaluate(BACKGROUND)).toBe('rgb(207, 34, 46)');
    await page.getByRole('link', { name: 'Addresses' }).click();
    await write('pump/fault', true);
    await poll(() => count().textContent()).toBe('2 active · 2 unacknowledged');
  });

  it('lists active alarms by severity with their colours', async () => {
    await page.getByRole('link', { name: 'Alarms', exact: true }).click();
    const rows = page.locator('table.alarms tbody tr[data-alarm]');
    await poll(() => rows.count()).toBe(2);
    expect(await rows.evaluateAll((trs) => trs.map((tr) => (tr as unknown as WithDataset).dataset.alarm))).toEqual([
      'tank_overflow',
      'pump_fault',
    ]);
    const hot = page.locator('tr[data-alarm="tank_overflow"]');
    expect(await hot.locator('td.state').textContent()).toBe('active, unacknowledged');
    expect(await hot.locator('td.value').textContent()).toBe('97');
    expect(await hot.locator('.severity').evaluate(BACKGROUND)).toBe('rgb(207, 34, 46)');
    expect(await page.locator('tr[data-alarm="pump_fault"] .severity').evaluate(BACKGROUND)).toBe('rgb(154, 103, 0)');
  });

  it('acknowledges with a comment, recorded as the logged-in user', async () => {
    await page.getByRole('button', { name: 'Acknowledge tank_overflow' }).click();
    await page.getByLabel('Comment').fill('inlet valve closed by hand');
    await page.getByRole('button', { name: 'Acknowledge', exact: true }).click();
    await page.locator('tr[data-alarm="tank_overflow"][data-state="active-acknowledged"]').waitFor();
    await poll(() => count().textContent()).toBe('2 active · 1 unacknowledged');
    const [history] = await site
      .client('supervision')
      .call('alarms', 'history', [{ id: 'tank_overflow', event: 'acknowledged' }]);
    expect((history as Array<Record<string, unknown>>)[0]).toMatchObject({
      by: 'operator1',
      peer: expect.stringMatching(/^web_operator1_[0-9a-f]{12}/),
      comment: 'inlet valve closed by hand',
    });
    await page
      .locator('table.alarm-history tr[data-event="acknowledged"]', { hasText: 'inlet valve closed by hand' })
      .waitFor();
    expect(await page.locator('table.alarm-history tr[data-event="acknowledged"] td').nth(6).textContent()).toBe(
      'operator1',
    );
  });

  it('shows the refusal when someone else acknowledged first', async () => {
    await page.getByRole('button', { name: 'Acknowledge pump_fault' }).click();
    await site.client('supervision').call('alarms', 'ack', ['pump_fault', 'from the control room']);
    await page.getByRole('button', { name: 'Acknowledge', exact: true }).click();
    await poll(() => page.locator('#ack-error').textContent()).toMatch(
      /^Not acknowledged: ack "pump_fault": nothing to acknowledge: it was acknowledged already \(by site_test_/,
    );
    await page.getByRole('button', { name: 'Cancel' }).click();
  });

  it('drops a cleared, acknowledged alarm from the list and the count', async () => {
    await write('tank/level', 80);
    await page.locator('tr[data-alarm="tank_overflow"]').waitFor({ state: 'detached' });
    await write('pump/fault', false);
    await poll(() => count().textContent()).toBe('No alarms');
    expect(await count().getAttribute('data-severity')).toBe('none');
    await page.getByText('No active or unacknowledged alarms.').waitFor();
  });

  it('filters the history, and shows a refused filter', async () => {
    await page.getByLabel('Severity').selectOption('critical');
    await page.getByLabel('Event').selectOption('cleared');
    await page.getByRole('button', { name: 'Search' }).click();
    await poll(() => page.locator('#history-status').textContent()).toBe('1 records');
    expect(await page.locator('table.alarm-history tbody tr').first().getAttribute('data-severity')).toBe('critical');
    await page.getByLabel('Event').selectOption('');
    await page.getByLabel('Severity').selectOption('');
    await page.getByLabel('Address').fill('no/such');
    await page.getByRole('button', { name: 'Search' }).click();
    await poll(() => page.locator('#history-status').textContent()).toBe('0 records');
    await page.getByLabel('Address').fill('tank_level');
    await page.getByRole('button', { name: 'Search' }).click();
    await poll(() => page.locator('#history-status').textContent()).toBe('3 records');
    expect(
      await page
        .locator('table.alarm-history tbody tr')
        .evaluateAll((trs) => trs.map((tr) => (tr as unknown as WithDataset).dataset.event)),
    ).toEqual(['cleared', 'acknowledged', 'raised']);
    await page.getByLabel('From', { exact: true }).fill('2030-01-02T00:00');
    await page.getByLabel('To', { exact: true }).fill('2030-01-01T00:00');
    await page.getByRole('button', { name: 'Search' }).click();
    await poll(() => page.locator('#history-status').textContent()).toMatch(
      /^Could not read the history: history: query.from: .* is after to/,
    );
  });
});
