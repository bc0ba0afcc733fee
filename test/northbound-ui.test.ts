/**
 * The northbound bridges' status in the web UI (issue 18), in real headless Chromium (Debian's,
 * through playwright-core): the built supervisor serves the built UI, with two bridges, one to
 * Debian's mosquitto started here and one with a tiny buffer to a port nobody listens on. The
 * overview's Northbound section shows each bridge's link, broker, buffered values (count and
 * bytes), published per second and in all, dropped values and the last error; it follows the
 * broker going down (disconnected, values buffered, the error) and coming back (connected, the
 * buffer emptied). The bridge's password is never on the page.
 * Build first: `pnpm --filter @weble/web-ui build`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, logInAs } from '../packages/supervisor/test/fixtures/chromium.js';
import { startSite, type RunningSite } from '../packages/supervisor/test/fixtures/running-site.js';
import { startMosquitto, Subscriber, type Broker } from './support/mosquitto.js';
import { ValueProducer } from './support/value-producer.js';
import { freePort } from '../packages/supervisor/test/fixtures/free-port.js';

const UI_DIR = fileURLToPath(new URL('../packages/web-ui/dist/', import.meta.url));
const CLI = fileURLToPath(new URL('../packages/supervisor/dist/cli.js', import.meta.url));
const BRIDGE_PASSWORD = 'bridge-secret-7f3a';
const KEYS = ['v/1', 'v/2'];

let broker: Broker;
let site: RunningSite;
let sub: Subscriber;
let producer: ValueProducer;
let browser: Browser;
let page: Page;
let deadPort: number;

beforeAll(async () => {
  if (!existsSync(join(UI_DIR, 'index.html')))
    throw new Error(`${UI_DIR} has no build: run pnpm --filter @weble/web-ui build first`);
  broker = await startMosquitto();
  sub = await Subscriber.connect(broker.url, ['weble/lab/1/v/#']);
  deadPort = await freePort();
  const passwordHash = execFileSync(process.execPath, [CLI, 'hash-password'], {
    input: 'mypassword\n',
    encoding: 'utf8',
  }).trim();
  site = await startSite(`hub: { socket: ./run/s.sock }
http: { port: ${await freePort()}, ui: ${JSON.stringify(UI_DIR)} }
users:
  - { username: admin, passwordHash: "${passwordHash}" }
gateways:
  - { id: 1, type: virtual, config: { tickMs: 1000 } }
addresses:
${KEYS.map((k) => `  - { key: "${k}", gateway: 1, point: { type: number } }`).join('\n')}
northbound:
  - { id: cloud, brokers: ["${broker.url}"], site: lab, username: site-7, password: "${BRIDGE_PASSWORD}", reconnectMs: 100 }
  # Never reaches a broker; a reconnection attempt a minute, so its last error stays the buffer's.
  - { id: tiny, brokers: ["mqtt://127.0.0.1:${deadPort}"], site: lab, reconnectMs: 60000, buffer: { maxMB: 0.01 } }
`);
  await site.until(
    'webserver up, both bridges listening',
    async () => {
      const list = await site.processes();
      const listening = (name: string) =>
        (list.find((p) => p.name === name) as { bridge?: { listening: boolean } } | undefined)?.bridge?.listening;
      return list.find((p) => p.name === 'webserver')?.state === 'up' &&
        listening('northbound_cloud') &&
        listening('northbound_tiny')
        ? true
        : undefined;
    },
    40_000,
  );
  producer = new ValueProducer(site.client, KEYS, 200);
  const [address] = await site.client('webserver').call('web', 'address', []);
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
  page.setDefaultTimeout(15_000);
  await page.goto((address as { url: string }).url);
  await logInAs(page, 'admin', 'mypassword');
}, 90_000);

afterAll(async () => {
  await producer?.pause().catch(() => {});
  await browser?.close();
  await sub?.close();
  await site?.close();
  await broker?.close();
});

/** The text of a bridge's cell (`link`, `broker`, `buffered`, `published-s`, `published`, `dropped`, `last-error`, `mode`). */
const cell = (bridge: string, column: string) =>
  page.locator(`section[aria-labelledby="nb-title"] tr[data-bridge="northbound_${bridge}"] td[data-col="${column}"]`);
const text = async (bridge: string, column: string): Promise<string> =>
  (await cell(bridge, column).textContent()) ?? '';
/** Wait for a cell: the overview refreshes the process list every 2 s (and at each process state change). */
const poll = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 20_000, interval: 100 });
/** The number a cell starts with (`1,234 (5.2 KiB)` gives 1234); NaN for `—`. */
const number = (s: string): number => Number(/^[\d,]+/.exec(s)?.[0]?.replace(/,/g, '') ?? NaN);

describe('northbound status in the web UI', () => {
  it('shows each bridge with its mode, broker and link on the overview', async () => {
    await page.getByRole('heading', { name: 'Northbound' }).waitFor();
    await poll(() => text('cloud', 'link')).toBe('connected');
    expect(await text('cloud', 'mode')).toBe('plain');
    expect(await text('cloud', 'broker')).toBe(broker.url);
    expect(await text('cloud', 'last-error')).toBe('—');
    await poll(() => text('tiny', 'link')).toBe('disconnected');
    await poll(() => text('tiny', 'last-error')).toMatch(
      new RegExp(`^NORTHBOUND_BROKER_UNREACHABLE \\d\\d:\\d\\d:\\d\\d: .*127\\.0\\.0\\.1:${deadPort}`),
    );
    expect(await page.content()).not.toContain(BRIDGE_PASSWORD);
  });

  it('counts what is published, per second while values flow, and what the subscriber got', async () => {
    producer.start();
    // A full second of values at 200/s has been counted.
    await poll(() => text('cloud', 'published-s').then(number)).toBeGreaterThan(50);
    await producer.pause();
    const last = producer.last.get('v/2')!;
    await sub.next('the last value', (m) => m.topic === 'weble/lab/1/v/2' && Subscriber.json(m).value === last, 20_000);
    // Every value written, and the two first values of the addresses.
    await poll(() => text('cloud', 'published').then(number)).toBeGreaterThanOrEqual(producer.written);
    await poll(() => text('cloud', 'buffered').then(number)).toBe(0); // nothing waits
  });

  it('a full buffer: dropped values counted, the buffer error shown', async () => {
    // 10 KB hold a few hundred values: the tiny bridge drops the oldest within seconds at 200/s.
    producer.start();
    await poll(() => text('tiny', 'dropped').then(number)).toBeGreaterThan(0);
    await producer.pause();
    expect(await text('tiny', 'last-error')).toMatch(
      /^NORTHBOUND_BUFFER_FULL .*is full \(0\.01 MB\): dropped the \d+ oldest values/,
    );
    const buffered = await text('tiny', 'buffered');
    expect(buffered).toMatch(/^[\d,]+ \([\d.]+ (B|KiB)\)$/);
    expect(number(buffered)).toBeGreaterThan(0);
  });

  it('follows the broker going down (disconnected, values buffered, the error) and coming back', async () => {
    await broker.stop();
    await poll(() => text('cloud', 'link')).toBe('disconnected');
    producer.start();
    await poll(() => text('cloud', 'buffered').then(number)).toBeGreaterThanOrEqual(100);
    expect(await text('cloud', 'buffered')).toMatch(/\([\d.]+ (B|KiB)\)$/);
    await producer.pause();
    expect(await text('cloud', 'last-error')).toMatch(/^NORTHBOUND_BROKER_UNREACHABLE /);
    await broker.start();
    await poll(() => text('cloud', 'link')).toBe('connected');
    await poll(() => text('cloud', 'buffered').then(number)).toBe(0);
    expect(await page.content()).not.toContain(BRIDGE_PASSWORD);
  }, 60_000);
});
