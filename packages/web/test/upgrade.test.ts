/**
 * The WebSocket door: upgrades without a live session or from a foreign Origin are refused, a
 * peers-core client must take the peer name its session is bound to, and through the `webserver`
 * peer it reaches `supervision` (listening on a UNIX socket in a temp dir) and back. An oversized
 * frame closes that link only. The client bundle is the fake source of helpers.ts.
 */
import { join } from 'node:path';
import { Code, createPeers, type Peers, type PeersError } from '@weble/peers-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { webSessionGrant, startWebServer, type WebServer, type WebUser } from '../src/index.js';
import {
  adminSession,
  FAKE_CONNECT,
  login,
  manualClock,
  silent,
  tempDir,
  testUsers,
  upgradeStatus,
  waitFor,
} from './helpers.js';

const tmp = tempDir();
const clock = manualClock();
let users: WebUser[];
let supervision: Peers;
let server: WebServer;
const cleanup: Array<() => unknown> = [];

beforeAll(async () => {
  users = await testUsers();
  supervision = createPeers('supervision', { logger: silent, heartbeatMs: 0, mayAnnounce: webSessionGrant });
  supervision.share('system', { totalmem: (callback: (error: null, bytes: number) => void) => callback(null, 1234) });
  const hubSocket = join(tmp.dir, 'supervision.sock');
  await supervision.listen(hubSocket);
  server = await startWebServer({
    users,
    connectSource: () => FAKE_CONNECT,
    hub: hubSocket,
    origins: ['https://scada.example.com'],
    sessionTtlMs: 60_000,
    maxFrameBytes: 64 * 1024,
    now: clock.now,
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

function client(name: string): Peers {
  const peers = createPeers(name, { logger: silent, heartbeatMs: 0, backoff: { initialMs: 20, maxMs: 100 } });
  cleanup.push(() => peers.close());
  return peers;
}

describe('WebSocket upgrade', () => {
  it('refused with 401 without a session, with a forged one, or with an expired one; 403 from a foreign Origin', async () => {
    expect(await upgradeStatus(server.wsUrl)).toBe(401);
    expect(await upgradeStatus(`${server.wsUrl}?session=${'A'.repeat(43)}`)).toBe(401);
    expect(await upgradeStatus(`${server.wsUrl}?session=../../etc`)).toBe(401);
    const { session: id } = await session();
    expect(await upgradeStatus(`${server.wsUrl}?session=${id}`)).toBe(101);
    expect(await upgradeStatus(server.wsUrl, { authorization: `Bearer ${id}` })).toBe(101);
    expect(await upgradeStatus(server.wsUrl, { cookie: `theme=dark; weble_session=${id}` })).toBe(101);
    expect(await upgradeStatus(`${server.wsUrl}?session=${id}`, { origin: 'https://scada.example.com' })).toBe(101);
    expect(await upgradeStatus(`${server.wsUrl}?session=${id}`, { origin: server.url })).toBe(101);
    expect(await upgradeStatus(`${server.wsUrl}?session=${id}`, { origin: 'https://evil.example' })).toBe(403);
    expect(await upgradeStatus(`${server.url.replace('http', 'ws')}/elsewhere?session=${id}`)).toBe(404);

    clock.advance(60_000);
    expect(await upgradeStatus(`${server.wsUrl}?session=${id}`)).toBe(401);
  });

  it('a client using a session with another peer name is refused (PEERS_UNAUTHORIZED), even the name of a connected browser', async () => {
    const first = await session();
    const second = await session();
    const owner = client(first.peer);
    owner.connect(`${first.ws}?session=${first.session}`);
    await waitFor(owner, 'connect webserver');

    const refusal = async (name: string): Promise<PeersError> => {
      const thief = client(name);
      thief.connect(`${second.ws}?session=${second.session}`);
      const [, error] = await waitFor<[string, PeersError]>(thief, 'error');
      await thief.close();
      expect(thief.connectedPeers()).toEqual([]);
      return error;
    };
    const intruder = await refusal('intruder');
    expect(intruder.code).toBe(Code.UNAUTHORIZED);
    expect(intruder.message).toContain(`bound to the peer name "${second.peer}"`);
    // The owner is on the mesh, but another session learns nothing of it: the same refusal.
    expect((await refusal(first.peer)).code).toBe(Code.UNAUTHORIZED);
    expect(owner.connectedPeers()).toContain('supervision');
    await owner.close();
    await waitFor(server.peers, `disconnect ${first.peer}`);
    expect((await refusal(first.peer)).code).toBe(Code.UNAUTHORIZED); // the name is free, but not this session's
  });

  it('the bound name reaches supervision through webserver, and supervision reaches it back', async () => {
    const { session: id, peer, ws } = await session();
    const browser = client(peer);
    browser.share('ui', { ping: (callback: (error: null, answer: string) => void) => callback(null, 'pong') });
    browser.connect(`${ws}?session=${id}`);
    await waitFor(browser, 'connect supervision');
    const system = await browser('supervision').require('system');
    expect(await (system.totalmem as () => Promise<number>)()).toBe(1234);
    const ui = await supervision(peer).require('ui');
    expect(await (ui.ping as () => Promise<string>)()).toBe('pong');
  });

  it('share filters see the session-bound name, so a module can be kept to one user, on every call', async () => {
    supervision.share(
      'adminTools',
      { wipe: (callback: (error: null, done: string) => void) => callback(null, 'wiped') },
      (caller) => caller.startsWith('web_admin_'),
    );
    const asAdmin = await session();
    const admin = client(asAdmin.peer);
    admin.connect(`${asAdmin.ws}?session=${asAdmin.session}`);
    await waitFor(admin, 'connect supervision');
    expect(await admin('supervision').call('adminTools', 'wipe')).toEqual(['wiped']);
    const reply = await login(server.url, 'operator', 'op-pass');
    expect(reply.status).toBe(200);
    const operator = client(reply.body.peer);
    operator.connect(`${reply.body.ws}?session=${reply.body.session}`);
    await waitFor(operator, 'connect supervision');
    await expect(operator('supervision').require('adminTools')).rejects.toMatchObject({ code: Code.FORBIDDEN });
    await expect(operator('supervision').call('adminTools', 'wipe')).rejects.toMatchObject({ code: Code.FORBIDDEN });
    supervision.unshare('adminTools');
  });

  it('a message over maxFrameBytes closes that link with 1009 and PEERS_FRAME_TOO_LARGE; the server stays up', async () => {
    const { session: id } = await session();
    const errors = waitFor<[string, PeersError]>(
      server.peers,
      'error',
      (_where, error) => error.code === Code.FRAME_TOO_LARGE,
    );
    const socket = new WebSocket(`${server.wsUrl}?session=${id}`);
    socket.on('error', () => {});
    await waitFor(socket, 'open');
    const closed = waitFor<[number]>(socket, 'close');
    socket.send(Buffer.alloc(100 * 1024), { binary: true });
    expect((await closed)[0]).toBe(1009);
    await errors;

    const after = await session();
    const browser = client(after.peer);
    browser.connect(`${after.ws}?session=${after.session}`);
    await waitFor(browser, 'connect supervision');
  });
});
