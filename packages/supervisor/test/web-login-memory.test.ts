/**
 * The web server stays flat over logins (issue 20): each login runs scrypt (16 MiB of work memory)
 * on a libuv pool thread, and glibc used to keep that memory in the thread's arena after free, so
 * the first logins left the web server 64 MiB larger for good (its V8 heap flat). Started by the
 * supervisor with WEB_SERVER_MALLOC_ENV, 16 logins (4 at a time, so every pool thread hashes) with
 * a WebSocket link each, then logout, leave it within 16 MiB of its size after the first login,
 * and leave nothing behind: no session is live and no session's peer is left on the mesh.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import createPeers from '@weble/peers-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './fixtures/free-port.js';
import { startSite, type RunningSite } from './fixtures/running-site.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const PASSWORD = 'memory-test';
const LOGINS = 16;
const silent = { debug() {}, warn() {}, error() {} };
const md5 = (text: string): string => createHash('md5').update(text).digest('hex');

let site: RunningSite;
let url: string;

beforeAll(async () => {
  const passwordHash = execFileSync(process.execPath, [CLI, 'hash-password'], {
    input: `${PASSWORD}\n`,
    encoding: 'utf8',
  }).trim();
  site = await startSite(`hub: { socket: ./run/s.sock }
http: { port: ${await freePort()} }
users:
  - { username: admin, passwordHash: "${passwordHash}" }
`);
  await site.until(
    'webserver up',
    async () => ((await site.find('webserver'))?.state === 'up' ? true : undefined),
    30_000,
  );
  [{ url }] = (await site.client('webserver').call('web', 'address', [])) as [{ url: string }];
}, 60_000);
afterAll(async () => {
  await site?.close();
});

interface Auth {
  session: string;
  peer: string;
  ws: string;
}

async function login(): Promise<Auth> {
  const reply = await fetch(`${url}/auth`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: md5(PASSWORD) }),
  });
  expect(reply.status).toBe(200);
  return (await reply.json()) as Auth;
}

/** Log in, link over WebSocket as the session's peer, reach the hub, log out, see the link gone. */
async function session(): Promise<void> {
  const auth = await login();
  const peers = createPeers(auth.peer, { logger: silent, callTimeoutMs: 5_000 });
  try {
    peers.connect(`${auth.ws}?session=${auth.session}`);
    await new Promise((resolve) => peers.once('connect supervision', resolve));
    const gone = new Promise((resolve) => site.client.once(`disconnect ${auth.peer}`, resolve));
    const logout = await fetch(`${url}/auth`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${auth.session}` },
    });
    expect(logout.status).toBe(204);
    await gone;
  } finally {
    await peers.close();
  }
}

const webServerRss = async (): Promise<number> => ((await site.find('webserver')) as { rss: number }).rss;

describe('the web server over many logins', () => {
  it(`stays within 16 MiB of its size after the first login over ${LOGINS} logins with links, and keeps no session or link`, async () => {
    await session();
    const before = await webServerRss();
    for (let i = 0; i < LOGINS; i += 4) await Promise.all([session(), session(), session(), session()]);
    const after = await webServerRss();
    expect((after - before) / 2 ** 20).toBeLessThan(16);
    expect(site.client.connectedPeers().filter((name) => name.startsWith('web_'))).toEqual([]);
    const check = await fetch(`${url}/auth`, { headers: { authorization: 'Bearer none' } });
    expect(check.status).toBe(401);
  }, 120_000);
});
