/**
 * `tls: 'auto'`: a self-signed certificate generated once into a directory (key mode 0600) and
 * reused on the next start; login over HTTPS and a wss:// link verified against that certificate.
 * The client bundle is the fake source of helpers.ts.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { createPeers, type Peers } from '@weble/peers-core';
import { afterAll, describe, expect, it } from 'vitest';
import { startWebServer, type WebServer } from '../src/index.js';
import { FAKE_CONNECT, login, silent, tempDir, testUsers, waitFor } from './helpers.js';

const tmp = tempDir();
const closers: Array<() => unknown> = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
  tmp.remove();
});

describe('HTTPS with tls: auto', () => {
  it('generates a certificate once, serves /auth and wss with it, and reuses it on the next start', async () => {
    const users = await testUsers();
    const tlsDir = join(tmp.dir, 'tls');
    const options = {
      users,
      connectSource: () => FAKE_CONNECT,
      tls: 'auto' as const,
      tlsDir,
      logger: silent,
      peersOptions: { heartbeatMs: 0 },
    };
    const first: WebServer = await startWebServer(options);
    closers.push(() => first.close());
    expect(first.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(statSync(join(tlsDir, 'web-key.pem')).mode & 0o777).toBe(0o600);
    const cert = readFileSync(join(tlsDir, 'web-cert.pem'), 'utf8');
    expect(first.tls?.cert).toBe(cert);
    expect(new X509Certificate(cert).checkIP('127.0.0.1')).toBe('127.0.0.1');

    const reply = await login(first.url, 'admin', 'secret', { ca: cert });
    expect(reply.status).toBe(200);
    expect(reply.body.ws).toBe(`${first.url.replace('https', 'wss')}/peers`);
    await expect(login(first.url, 'admin', 'secret')).rejects.toThrow(/self-signed|self signed/); // not trusted without the CA

    const browser: Peers = createPeers(reply.body.peer, { logger: silent, heartbeatMs: 0 });
    closers.push(() => browser.close());
    browser.connect(`${reply.body.ws}?session=${reply.body.session}`, { tls: { ca: cert } });
    await waitFor(browser, 'connect webserver');
    await browser.close();
    await first.close();

    const keyMtime = statSync(join(tlsDir, 'web-key.pem')).mtimeMs;
    const second = await startWebServer(options);
    closers.push(() => second.close());
    expect(second.tls?.cert).toBe(cert);
    expect(statSync(join(tlsDir, 'web-key.pem')).mtimeMs).toBe(keyMtime);
    expect((await login(second.url, 'admin', 'secret', { ca: cert })).status).toBe(200);
  });
});
