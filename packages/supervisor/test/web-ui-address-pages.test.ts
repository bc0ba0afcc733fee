/**
 * The Addresses page of a site with many addresses (real headless Chromium, the supervised
 * `webserver`, a virtual gateway with 250 points): one page of 100 rows at a time, and the browser
 * follows (`newValue <key>` listeners over its WebSocket) only the rows on the page. A value written
 * while its row was on another page is shown when the row comes back; a live value on page 2
 * changes; a search shows its matches across all pages.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hashPassword, md5Hex } from '@weble/web';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, logInAs } from './fixtures/chromium.js';
import { startSite, type RunningSite } from './fixtures/running-site.js';

const UI_DIR = fileURLToPath(new URL('../../web-ui/dist/', import.meta.url));
const COUNT = 250;
const LIVE = 'v/p180';
const keyOf = (i: number): string => `v/p${String(i).padStart(3, '0')}`;

let site: RunningSite;
let browser: Browser;
let page: Page;
let gateways: { writeValue(key: string, value: unknown): Promise<unknown> };
/** How many times each address key was named in a `newValue` topic the page sent (listen or unlisten). */
const named = new Map<string, number>();

beforeAll(async () => {
  if (!existsSync(join(UI_DIR, 'index.html')))
    throw new Error(`${UI_DIR} has no build: run pnpm --filter @weble/web-ui build first`);
  const passwordHash = await hashPassword(md5Hex('mypassword'));
  const addresses = Array.from({ length: COUNT }, (_, i) =>
    keyOf(i) === LIVE
      ? `  - { key: ${LIVE}, gateway: v, point: { type: number, simulate: { kind: sine, min: 0, max: 1, periodMs: 2000 } } }`
      : `  - { key: ${keyOf(i)}, gateway: v, point: { type: number, initial: ${i} } }`,
  );
  site = await startSite(`hub: { socket: ./run/s.sock }
http: { port: 0, ui: ${JSON.stringify(UI_DIR)} }
users:
  - { username: admin, role: admin, passwordHash: "${passwordHash}" }
gateways:
  - { id: v, type: virtual, config: { tickMs: 100 } }
addresses:
${addresses.join('\n')}
`);
  await site.until('webserver up', async () => ((await site.find('webserver'))?.state === 'up' ? true : undefined));
  gateways = (await site.client('supervision').require('gateways')) as unknown as typeof gateways;
  const [address] = await site.client('webserver').call('web', 'address', []);
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  page.setDefaultTimeout(15_000);
  page.on('websocket', (socket) =>
    socket.on('framesent', ({ payload }) => {
      const text = typeof payload === 'string' ? payload : payload.toString('latin1');
      for (const [, key = ''] of text.matchAll(/newValue (v\/p\d{3})/g)) named.set(key, (named.get(key) ?? 0) + 1);
    }),
  );
  await page.goto((address as { url: string }).url);
  await logInAs(page, 'admin', 'mypassword');
  await page.getByRole('link', { name: 'Addresses' }).click();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

describe('the Addresses page of a large site', () => {
  it('shows the first 100 rows and follows only them', async () => {
    await page.getByText(`1–100 of ${COUNT} addresses`).waitFor();
    expect(await page.locator('tbody tr').count()).toBe(100);
    expect(await page.locator(`tr[data-key="${keyOf(99)}"]`).count()).toBe(1);
    expect(await page.locator(`tr[data-key="${keyOf(100)}"]`).count()).toBe(0);
    await expect.poll(() => named.size, { timeout: 10_000 }).toBe(100);
    expect([...named.keys()].sort()).toEqual(Array.from({ length: 100 }, (_, i) => keyOf(i)));
    expect(await page.getByRole('button', { name: 'Previous page of addresses' }).isDisabled()).toBe(true);
  });

  it('shows the next page with a value written while it was away, live values, and stops following page 1', async () => {
    await gateways.writeValue(keyOf(150), 4242);
    await page.getByRole('button', { name: 'Next page of addresses' }).click();
    await page.getByText(`101–200 of ${COUNT} addresses`).waitFor();
    await expect.poll(() => page.locator(`tr[data-key="${keyOf(150)}"] td.value`).textContent()).toContain('4242');
    const live = page.locator(`tr[data-key="${LIVE}"] td.value`);
    const first = await live.textContent();
    await expect.poll(() => live.textContent(), { timeout: 10_000 }).not.toBe(first);
    expect(await page.locator(`tr[data-key="${keyOf(0)}"]`).count()).toBe(0);
    // Page 1's keys: listened, then unlistened; page 2's: listened once; page 3's: never.
    await expect.poll(() => named.get(keyOf(99)), { timeout: 10_000 }).toBe(2);
    expect(Array.from({ length: 100 }, (_, i) => named.get(keyOf(i)))).toEqual(Array(100).fill(2));
    expect(Array.from({ length: 100 }, (_, i) => named.get(keyOf(100 + i)))).toEqual(Array(100).fill(1));
    expect(named.has(keyOf(200))).toBe(false);
  });

  it('finds matches on every page with the search box, and pages back', async () => {
    await page.getByLabel('Search addresses').fill('p24');
    await page.getByText(`1–10 of 10 addresses (${COUNT} in all)`).waitFor();
    expect(await page.locator('tbody tr').count()).toBe(10);
    expect(await page.locator(`tr[data-key="${keyOf(249)}"]`).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Next page of addresses' }).isHidden()).toBe(true);
    await page.getByLabel('Search addresses').fill('');
    await page.getByText(`1–100 of ${COUNT} addresses`).waitFor();
    await page.locator(`tr[data-key="${keyOf(0)}"] td.value`).waitFor();
  });
});
