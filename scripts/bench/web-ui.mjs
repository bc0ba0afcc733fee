// Bench: first paint of the web UI (packages/web-ui/dist served by @weble/web) in headless
// Chromium on localhost, cold cache (a fresh browser context per run), against the floor measured
// in the same run: a one-line static HTML page from a bare node:http server. Target: the UI's
// first contentful paint under 1 s. Build first (`pnpm build`).
import { createServer } from 'node:http';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startWebServer } from '@weble/web';
import { chromium } from 'playwright-core';
import { record } from './lib/summary.mjs';

const UI_DIR = fileURLToPath(new URL('../../packages/web-ui/dist/', import.meta.url));
const RUNS = Number(process.env.BENCH_UI_RUNS ?? (process.env.BENCH_QUICK === '1' ? 5 : 20));
const TARGET_MS = 1000;
const silent = { debug() {}, warn() {}, error() {} };

if (!existsSync(`${UI_DIR}index.html`)) throw new Error(`${UI_DIR} has no build: run pnpm build first`);
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const p95 = (values) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(0.95 * values.length))];

/** First contentful paint of `url`, ms, in a fresh context; `ready` is a selector that must appear. */
async function firstPaint(browser, url, ready) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  await page.locator(ready).waitFor();
  const paint = await page.evaluate(`new Promise((resolve) => {
    const read = () => {
      const entry = performance.getEntriesByName('first-contentful-paint')[0];
      if (!entry) return requestAnimationFrame(read);
      resolve(entry.startTime);
    };
    read();
  })`);
  await context.close();
  return paint;
}

const ui = await startWebServer({
  users: [],
  connectSource: () => ({ source: '(function(){})', etag: 'bench' }),
  logger: silent,
  uiDir: UI_DIR,
});
const bare = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end('<!doctype html><html><head><title>floor</title></head><body><h1>hello</h1></body></html>');
});
await new Promise((resolve) => bare.listen(0, '127.0.0.1', resolve));
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
const ours = [];
const floor = [];
try {
  // Interleaved, so machine load falls on both alike.
  for (let i = 0; i < RUNS; i++) {
    ours.push(await firstPaint(browser, ui.url, 'form.login'));
    floor.push(await firstPaint(browser, `http://127.0.0.1:${bare.address().port}/`, 'h1'));
  }
} finally {
  await browser.close();
  await ui.close();
  bare.close();
}

console.log(`\n## Web UI: first contentful paint on localhost, cold cache, headless Chromium (${RUNS} runs each)\n`);
console.log('| page | median ms | p95 ms | ratio (median) |');
console.log('|---|---:|---:|---:|');
console.log(
  `| the web UI's login page (Vite build, served by @weble/web) | ${median(ours).toFixed(0)} ` +
    `| ${p95(ours).toFixed(0)} | ${(median(ours) / median(floor)).toFixed(2)}x |`,
);
console.log(
  `| floor: one-line static HTML from a bare node:http server | ${median(floor).toFixed(0)} | ${p95(floor).toFixed(0)} | 1.00x |`,
);
console.log(
  `\nTarget: first paint under ${TARGET_MS} ms (p95 ${p95(ours).toFixed(0)} ms: ${p95(ours) < TARGET_MS ? 'met' : 'NOT met'}).`,
);
record('web-ui', [
  {
    measure: 'first contentful paint (median, cold cache)',
    value: median(ours),
    unit: 'ms',
    baseline: 'static one-line page, bare node:http',
    baselineValue: median(floor),
    better: 'lower',
    target: `p95 < ${TARGET_MS} ms`,
    met: p95(ours) < TARGET_MS,
  },
]);
