/**
 * Several links with one session: a reloaded page (or a duplicated tab) links again with the
 * session it kept while the old page's link may still be open. Each link takes the session's
 * bound name or that name with a `~<tag>` (link-name.ts); the exact name twice is NAME_TAKEN, a
 * tagged name links beside the old one and reaches supervision; other sessions and bad tags are
 * refused; logout closes every link of the session.
 */
import { join } from 'node:path';
import { Code, createPeers, type Peers, type PeersError } from '@weble/peers-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { webSessionGrant, sessionAllowsName, startWebServer, type WebServer } from '../src/index.js';
import { adminSession, FAKE_CONNECT, request, silent, tempDir, testUsers, waitFor } from './helpers.js';

const tmp = tempDir();
let supervision: Peers;
let server: WebServer;
const cleanup: Array<() => unknown> = [];

beforeAll(async () => {
  supervision = createPeers('supervision', { logger: silent, heartbeatMs: 0, mayAnnounce: webSessionGrant });
  supervision.share('system', { totalmem: (callback: (error: null, bytes: number) => void) => callback(null, 1234) });
  const hubSocket = join(tmp.dir, 'supervision.sock');
  await supervision.listen(hubSocket);
  server = await startWebServer({
    users: await testUsers(),
    connectSource: () => FAKE_CONNECT,
    hub: hubSocket,
    logger: silent,
    peersOptions: { heartbeatMs: 0 },
  });
  await waitFor(supervision, 'connect webserver');
});
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});
afterAll(async () => {
  await server.close();
  await supervision.close();
  tmp.remove();
});

const session = (): Promise<{ session: string; peer: string; ws: string }> => adminSession(server.url);

/** A client named `name` linking with `auth`'s session. */
function link(name: string, auth: { session: string; ws: string }): Peers {
  const peers = createPeers(name, { logger: silent, heartbeatMs: 0, backoff: { initialMs: 20, maxMs: 100 } });
  cleanup.push(() => peers.close());
  peers.connect(`${auth.ws}?session=${auth.session}`);
  return peers;
}

async function refusal(name: string, auth: { session: string; ws: string }): Promise<PeersError> {
  const peers = link(name, auth);
  const [, error] = await waitFor<[string, PeersError]>(peers, 'error');
  await peers.close();
  return error;
}

describe('sessionAllowsName', () => {
  const bound = 'web_admin_0123456789ab';
  it('allows the bound name and the bound name with a tag of 1-16 letters and digits', () => {
    expect(sessionAllowsName(bound, bound)).toBe(true);
    expect(sessionAllowsName(bound, `${bound}~k`)).toBe(true);
    expect(sessionAllowsName(bound, `${bound}~Ab3x9Zq0Ab3x9Zq0`)).toBe(true);
  });
  it('refuses other names, empty, long or odd tags, and names that only start alike', () => {
    for (const name of [
      'web_admin_0123456789ac',
      `${bound}~`,
      `${bound}~Ab3x9Zq0Ab3x9Zq0X`,
      `${bound}~a_b`,
      `${bound}~a~b`,
      `${bound}~a.b`,
      `${bound}x`,
      `${bound}_x`,
      `x${bound}`,
      'web_admin_0123456789a',
      '',
    ]) {
      expect(sessionAllowsName(bound, name), name).toBe(false);
    }
  });
});

describe('links of one session', () => {
  it('a second link with the exact bound name is NAME_TAKEN; with a tag it links beside the first and both reach supervision', async () => {
    const auth = await session();
    const old = link(auth.peer, auth);
    await waitFor(old, 'connect supervision');
    expect((await refusal(auth.peer, auth)).code).toBe(Code.NAME_TAKEN);

    const reloaded = link(`${auth.peer}~r1`, auth);
    await waitFor(reloaded, 'connect supervision');
    const system = await reloaded('supervision').require('system');
    expect(await (system.totalmem as () => Promise<number>)()).toBe(1234);
    expect(old.connectedPeers()).toContain('supervision');
    expect(server.peers.connectedPeers()).toEqual(expect.arrayContaining([auth.peer, `${auth.peer}~r1`]));
  });

  it("another session cannot take a session's tagged names; a bad tag is refused", async () => {
    const mine = await session();
    const other = await session();
    const stolen = await refusal(`${mine.peer}~x`, other);
    expect(stolen.code).toBe(Code.UNAUTHORIZED);
    expect(stolen.message).toContain(`bound to the peer name "${other.peer}"`);
    expect((await refusal(`${mine.peer}~a-b`, mine)).code).toBe(Code.UNAUTHORIZED);
  });

  it('logout (DELETE /auth) closes every link of the session, tagged or not', async () => {
    const auth = await session();
    const first = link(auth.peer, auth);
    const second = link(`${auth.peer}~t2`, auth);
    await Promise.all([waitFor(first, 'connect supervision'), waitFor(second, 'connect supervision')]);
    const gone = Promise.all([
      waitFor(server.peers, `disconnect ${auth.peer}`),
      waitFor(server.peers, `disconnect ${auth.peer}~t2`),
    ]);
    expect(
      (
        await request(`${server.url}/auth`, undefined, {
          method: 'DELETE',
          headers: { authorization: `Bearer ${auth.session}` },
        })
      ).status,
    ).toBe(204);
    await gone;
    expect(
      (await request(`${server.url}/auth`, undefined, { headers: { authorization: `Bearer ${auth.session}` } })).status,
    ).toBe(401);
  });
});
