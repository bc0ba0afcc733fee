/**
 * Seed 001 (getting started), the HTML sample, in real headless Chromium (Debian's, driven by
 * playwright-core): the page's script, verbatim but for the host, runs on a page served from
 * another origin, logs in through POST /auth (CORS), evaluates the returned bundle, and commands
 * the gateway; a second login in the same page asks `system.totalmem`. md5() comes from a real
 * implementation (blueimp-md5), as the sample expects the page to provide one.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { hashPassword, md5Hex } from '@weble/web';
import type { Browser } from 'playwright-core';
import { launchChromium } from './fixtures/chromium.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSite, type RunningSite } from './fixtures/running-site.js';

const PAGE = fileURLToPath(new URL('../../../test/seeds/001-getting-started.txt', import.meta.url));
const md5Source = readFileSync(createRequire(import.meta.url).resolve('blueimp-md5/js/md5.min.js'), 'utf8');

/** The HTML sample's script body: the lines between `<script>` and `</script>`. */
function htmlSampleScript(): string {
  const lines = readFileSync(PAGE, 'utf8').split('\n');
  const start = lines.indexOf('<script>');
  const end = lines.indexOf('</script>');
  if (start < 0 || end < start) throw new Error('the HTML sample was not found on the seed 001 page');
  return lines.slice(start + 1, end).join('\n');
}

let site: RunningSite;
let pageServer: Server;
let pageOrigin: string;
let gatewayUrl: string;
let browser: Browser;

beforeAll(async () => {
  pageServer = createServer((request, response) => {
    const script = htmlSampleScript().replace("'https://gateway.example.com'", JSON.stringify(gatewayUrl));
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(`<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Loading API</title><script>${md5Source}</script></head>
<body>
<script>
${script}
</script>
<script>
// The test's own part: a second login with the sample's apiLogin, asking for total memory.
apiLogin(${JSON.stringify(gatewayUrl)}, 'admin', 'mypassword', function(err, peer){
  if(err){ window.result = 'login failed: ' + err; return }
  peer('supervision').require('system', function(err, system){
    if(err){ window.result = 'require failed: ' + err.message; return }
    system.totalmem(function(err, bytes){
      window.result = err ? 'totalmem failed: ' + err.message : 'total memory ' + bytes
      checkPrimitives(peer)
    })
  })
})
// The seed 000 primitives from the page, on the peer the bundle gave. (Not named primitives: a
// global function of that name would satisfy the test's wait for window.primitives at once.)
function checkPrimitives(peer){
  var out = { start: peer.listenerCount(), connected: peer('supervision').isConnected(), peers: peer.connectedPeers() }
  function onValue(address, value, value_string, value_date){
    out.value = [address, value, value_string, value_date instanceof Date]
    peer('supervision').removeListener('newValue 4/7/26', onValue)
    out.afterRemove = peer.listenerCount()
    out.emitted = peer('supervision').emit('hello', 'from the page')
    peer.disconnect()
    peer.removeAllListeners()
    out.end = peer.listenerCount()
    setTimeout(function(){ out.connectedAfter = peer('supervision').isConnected(); window.primitives = out }, 0)
  }
  peer('supervision').on('newValue 4/7/26', onValue)
  out.withListener = peer.listenerCount()
  peer('supervision').require('gateways', function(err, gateways){
    if(err){ out.error = err.message; window.primitives = out; return }
    gateways.getLastValue('4/7/26', function(){ gateways.writeValue('4/7/26', 2, function(){}) })
  })
}
</script>
</body></html>`);
  });
  await new Promise<void>((resolve) => pageServer.listen(0, '127.0.0.1', resolve));
  pageOrigin = `http://127.0.0.1:${(pageServer.address() as { port: number }).port}`;
  const passwordHash = await hashPassword(md5Hex('mypassword'));
  site = await startSite(`hub: { socket: ./run/s.sock }
http: { port: 0, tls: auto, origins: [ "${pageOrigin}" ] }
users:
  - { username: admin, passwordHash: "${passwordHash}", role: admin }
gateways:
  - { id: 1, type: virtual, name: knx, config: {} }
addresses:
  - { key: "4/7/25", gateway: 1, point: { type: number, initial: 0 } }
  - { key: "4/7/26", gateway: 1, point: { type: number, initial: 0 } }
`);
  await site.until('webserver up', async () => ((await site.find('webserver'))?.state === 'up' ? true : undefined));
  const [address] = await site.client('webserver').call('web', 'address', []);
  gatewayUrl = (address as { url: string }).url;
  browser = await launchChromium();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await site?.close();
  await new Promise((resolve) => pageServer?.close(resolve));
});

describe('seed 001: the HTML sample in headless Chromium, from another origin', () => {
  it('logs in, commands the gateway (the sample), gets total memory back, and the seed 000 primitives work from the page', async () => {
    // The gateway's certificate is the self-signed one of `tls: auto`: the browser context trusts it.
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    await page.goto(pageOrigin);
    const result = await page.waitForFunction(() => (globalThis as unknown as { result?: string }).result, undefined, {
      timeout: 20_000,
    });
    expect(await result.jsonValue()).toBe(`total memory ${totalmem()}`);
    const gateways = await site.client('supervision').require('gateways');
    await site.until('the sample wrote 1 to 4/7/25', async () =>
      (await gateways.readValue('4/7/25')) === 1 ? true : undefined,
    );
    await page.waitForFunction(() => (globalThis as unknown as { primitives?: object }).primitives, undefined, {
      timeout: 20_000,
    });
    const seen = JSON.parse(
      await page.evaluate(() => JSON.stringify((globalThis as unknown as { primitives: object }).primitives)),
    ) as { peers: string[] };
    expect(seen).toMatchObject({
      connected: true,
      withListener: 1,
      value: ['4/7/26', 2, '2', true],
      afterRemove: 0,
      emitted: true,
      end: 0,
      connectedAfter: false,
    });
    expect(seen.peers).toEqual(expect.arrayContaining(['supervision', 'webserver', 'driver_virtual_1']));
    expect(consoleErrors).toEqual([]);
    await context.close();
  });
});
