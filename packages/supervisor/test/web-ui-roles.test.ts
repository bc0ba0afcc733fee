/**
 * Roles in the web UI (real headless Chromium on a real site, docs/roles.md): what a viewer, an
 * operator and an admin see and can do; the same refusals for a page that bypasses the UI and
 * calls the mesh itself; Stop and Restart asking for confirmation with what depends on the
 * process; the web server that cannot be stopped from its own UI and whose restart is reported
 * as done (it was reported as failed: the call's answer is lost with the link it travels on);
 * the Audit page (entries, filter, CSV download) for admins only.
 * Build first: `pnpm --filter @weble/web-ui build`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hashPassword, md5Hex } from '@weble/web';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, logInAs } from './fixtures/chromium.js';
import { startSite, type RunningSite } from './fixtures/running-site.js';
import { freePort } from './fixtures/free-port.js';

const UI_DIR = fileURLToPath(new URL('../../web-ui/dist/', import.meta.url));
let site: RunningSite;
let url: string;
let browser: Browser;
const pages: Page[] = [];

beforeAll(async () => {
  if (!existsSync(join(UI_DIR, 'index.html')))
    throw new Error(`${UI_DIR} has no build: run pnpm --filter @weble/web-ui build first`);
  const hash = await hashPassword(md5Hex('pw'));
  site = await startSite(`hub: { socket: ./run/s.sock }
http: { port: ${await freePort()}, ui: ${JSON.stringify(UI_DIR)} }
users:
  - { username: ada, role: admin, passwordHash: "${hash}" }
  - { username: otto, role: operator, passwordHash: "${hash}" }
  - { username: vera, role: viewer, passwordHash: "${hash}" }
gateways:
  - { id: 1, type: virtual, name: boiler, config: {} }
addresses:
  - { key: "1/0/1", gateway: 1, name: setpoint, unit: "°C", point: { type: number, initial: 20 } }
loggers:
  - { name: trend, addresses: ["1/0/1"] }
`);
  await site.until('all up', async () => {
    const list = await site.processes();
    return list.length === 3 && list.every((p) => p.state === 'up') ? true : undefined;
  });
  const [address] = await site.client('webserver').call('web', 'address', []);
  url = (address as { url: string }).url;
  browser = await launchChromium();
}, 90_000);

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail')
    for (const p of pages)
      console.log(
        'PAGE',
        (
          await p
            .locator('body')
            .innerHTML()
            .catch(() => '')
        ).slice(0, 4000),
      );
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

async function logIn(username: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  pages.push(page);
  await page.goto(url);
  await logInAs(page, username, 'pw');
  await page.locator('tr[data-process="webserver"] .badge', { hasText: 'up' }).waitFor();
  return page;
}

/** From inside the page, without the UI: log in with POST /auth, connect with its bundle, call `module.method`; the error's code and message. */
async function bypass(
  page: Page,
  username: string,
  module: string,
  method: string,
  args: unknown[],
): Promise<{ code?: string; message?: string; ok?: boolean }> {
  const outcome = await page.evaluate(
    async ([user, password, mod, fn, params]) => {
      const response = await fetch('auth', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: user, password }),
      });
      const answer = (await response.json()) as { connect: string };
      const connect = (0, eval)(answer.connect) as (data: unknown, cb: (e: Error | null, p: unknown) => void) => void; // eslint-disable-line no-eval
      type Remote = (name: string) => { call(m: string, f: string, a: unknown[]): Promise<unknown[]> };
      const peers = await new Promise<Remote & { disconnect(): void }>((resolve, reject) =>
        connect(answer, (e, p) => (e ? reject(e) : resolve(p as Remote & { disconnect(): void }))),
      );
      try {
        await peers('supervision').call(mod, fn, params);
        return JSON.stringify({ ok: true });
      } catch (error) {
        return JSON.stringify({ code: (error as { code?: string }).code, message: (error as Error).message });
      } finally {
        peers.disconnect();
      }
    },
    [username, md5Hex('pw'), module, method, args] as const,
  );
  return JSON.parse(outcome) as { code?: string; message?: string; ok?: boolean };
}

describe('each role in the UI, and the same calls without the UI', () => {
  it('a viewer sees values and processes, and no Write, process control, logger editing or Audit page', async () => {
    const page = await logIn('vera');
    expect(await page.locator('#role').textContent()).toBe('viewer');
    await page.locator('tr[data-process="driver_virtual_1"] .badge', { hasText: 'up' }).waitFor();
    expect(await page.locator('button.action').count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Audit' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Addresses' }).click();
    await page.locator('tr[data-key="1/0/1"] td.value', { hasText: '20' }).waitFor();
    expect(await page.getByRole('button', { name: 'Write setpoint' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Trend of setpoint' }).count()).toBe(1);
    await page.getByRole('link', { name: 'Loggers' }).click();
    await page.locator('tr[data-logger="trend"]').waitFor();
    expect(await page.getByRole('button', { name: 'Save logger' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Delete trend' }).count()).toBe(0);
    await page.goto(`${url}/#/audit`);
    await page.getByText('Only administrators see the audit trail.').waitFor();
    // The page's own peers, without the UI: the gateway refuses all the same.
    const write = await bypass(page, 'vera', 'gateways', 'writeValue', ['1/0/1', 99]);
    expect(write).toMatchObject({ code: 'PEERS_FORBIDDEN' });
    expect(write.message).toContain(
      'ROLE_FORBIDDEN: user "vera" has the role viewer; gateways.writeValue needs operator',
    );
    expect((await bypass(page, 'vera', 'audit', 'query', [{}])).message).toContain('audit.query needs admin');
    expect((await site.client('supervision').call('gateways', 'readValue', ['1/0/1']))[0]).toBe(20);
  }, 60_000);

  it('an operator writes from the UI, and has no process control or Audit page', async () => {
    const page = await logIn('otto');
    expect(await page.locator('#role').textContent()).toBe('operator');
    expect(await page.locator('tr[data-process="driver_virtual_1"] button').count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Audit' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Addresses' }).click();
    await page.getByRole('button', { name: 'Write setpoint' }).click();
    await page.getByLabel('New value (number)').fill('23');
    await page.getByRole('dialog').getByRole('button', { name: 'Write' }).click();
    await page.locator('tr[data-key="1/0/1"] td.value', { hasText: '23' }).waitFor();
    expect((await site.client('supervision').call('gateways', 'readValue', ['1/0/1']))[0]).toBe(23);
    const restart = await bypass(page, 'otto', 'system', 'restart', ['driver_virtual_1']);
    expect(restart.message).toContain('user "otto" has the role operator; system.restart needs admin');
    expect((await bypass(page, 'otto', 'gateways', 'deleteAddress', ['1/0/1'])).message).toContain(
      'gateways.deleteAddress needs admin',
    );
  }, 60_000);

  it('an admin is asked before Stop and Restart, with what depends on the process; Cancel does nothing', async () => {
    const page = await logIn('ada');
    expect(await page.locator('#role').textContent()).toBe('admin');
    const before = (await site.find('driver_virtual_1'))!;
    await page.getByRole('button', { name: 'Stop driver_virtual_1' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('heading', { name: 'Stop driver_virtual_1?' }).waitFor();
    expect(await dialog.locator('li').allTextContents()).toEqual([
      'gateway 1 (boiler) goes offline: its 1 address stop updating and refuse writes',
      'loggers record nothing new for these addresses',
    ]);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await site.find('driver_virtual_1')).toMatchObject({ state: 'up', pid: before.pid });
    await page.getByRole('button', { name: 'Restart driver_virtual_1' }).click();
    await dialog.getByRole('button', { name: 'Restart' }).click();
    await page.locator('#process-note', { hasText: 'driver_virtual_1: restart done' }).waitFor();
    const after = await site.until('driver_virtual_1 back', async () => {
      const p = await site.find('driver_virtual_1');
      return p?.state === 'up' && p.pid !== before.pid ? p : undefined;
    });
    expect(after.pid).not.toBe(before.pid);
    // The web server: Restart only; its Stop is refused by the gateway too.
    expect(await page.getByRole('button', { name: 'Stop webserver' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Restart webserver' }).click();
    expect(await dialog.locator('li').first().textContent()).toMatch(
      /^the web UI and \d+ web sessions connected now \(yours included\) lose their link until it is back$/,
    );
    await dialog.getByText('This page loses its link for a moment and reconnects by itself.').waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await bypass(page, 'ada', 'system', 'stop', ['webserver'])).toMatchObject({ code: 'SELF_STOP' });
    expect((await site.find('webserver'))?.state).toBe('up');
  }, 60_000);

  it('an admin reads the audit trail: writes with before and after, refusals, process control and logins; filters; downloads CSV', async () => {
    const page = pages[pages.length - 1]!;
    await page.getByRole('link', { name: 'Audit' }).click();
    const rows = page.locator('table.audit tbody tr');
    await rows.first().waitFor();
    const write = page.locator('tr[data-action="write"]', { hasText: 'otto' });
    expect(await write.locator('td').allTextContents()).toEqual([
      expect.any(String),
      'otto',
      'operator',
      'write',
      '1/0/1',
      '20 → 23',
      'ok',
    ]);
    expect(
      await page.locator('tr[data-action="write"].refused', { hasText: 'vera' }).locator('td').nth(6).textContent(),
    ).toBe('ROLE_FORBIDDEN');
    await page.locator('tr[data-action="process"]', { hasText: 'driver_virtual_1' }).first().waitFor();
    expect(await page.locator('tr[data-action="login"]').count()).toBeGreaterThanOrEqual(3);
    await page.getByLabel('User').fill('vera');
    await page.getByRole('button', { name: 'Show' }).click();
    await expect
      .poll(async () => [...new Set(await rows.locator('td:nth-child(2)').allTextContents())], { timeout: 10_000 })
      .toEqual(['vera']);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^audit-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8')
      .trim()
      .split('\n');
    expect(csv[0]).toBe('time,user,role,peer,action,target,result,detail,message');
    expect(csv.slice(1).every((line) => /^[^,]+,vera,viewer,/.test(line))).toBe(true);
    expect(csv.some((line) => line.includes('ROLE_FORBIDDEN'))).toBe(true);
  }, 60_000);
});

describe('the web server restarted from its own UI', () => {
  it('is reported as done, not as failed', async () => {
    const page = await logIn('ada');
    const before = (await site.find('webserver'))!.pid;
    await page.getByRole('button', { name: 'Restart webserver' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Restart' }).click();
    await page.locator('#process-note:not(:empty), #process-error:not(:empty)').first().waitFor({ timeout: 30_000 });
    expect(await page.locator('#process-error').textContent()).toBe('');
    expect(await page.locator('#process-note').textContent()).toBe('webserver: restart done');
    const after = (await site.find('webserver'))!;
    expect(after.state).toBe('up');
    expect(after.pid).not.toBe(before);
  }, 60_000);
});
