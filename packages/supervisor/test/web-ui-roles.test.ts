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
import net from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hashPassword, md5Hex } from '@weble/web';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './fixtures/chromium.js';
import { startSite, type RunningSite } from './fixtures/running-site.js';

const UI_DIR = fileURLToPath(new URL('../../web-ui/dist/', import.meta.url));
let site: RunningSite;
let url: string;
let browser: Browser;
const pages: Page[] = [];

/** A port free now: the web server comes back on the same one after its restart. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  if (!existsSync(join(UI_DIR, 'index.html'))) throw new Error(`${UI_DIR} has no build: run pnpm --filter @weble/web-ui build first`);
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
  if (ctx.task.result?.state === 'fail') for (const p of pages) console.log('PAGE', (await p.locator('body').innerHTML().catch(() => '')).slice(0, 4000));
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
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill('pw');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.locator('tr[data-process="webserver"] .badge', { hasText: 'up' }).waitFor();
  return page;
}

/** From inside the page, without the UI: log in with POST /auth, connect with its bundle, call `module.method`; the error's code and message. */
function bypass(page: Page, username: string, module: string, method: string, args: unknown[]): Promise<{ code?: string; message?: string; ok?: boolean }> {
  return page.evaluate(
    async ([user, password, mod, fn, params]) => {
      const answer = await (await fetch('auth', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: user, password }) })).json();
      const connect = (0, eval)(answer.connect);
      const peers = await new Promise<any>((resolve, reject) => connect(answer, (e: Error | null, p: unknown) => (e ? reject(e) : resolve(p)))); // eslint-disable-line @typescript-eslint/no-explicit-any
      try {
        await peers('supervision').call(mod, fn, params);
        return { ok: true };
      } catch (error) {
        return { code: (error as { code?: string }).code, message: (error as Error).message };
      } finally {
        peers.disconnect();
      }
    },
    [username, md5Hex('pw'), module, method, args] as const,
  );
}

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
