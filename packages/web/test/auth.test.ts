/**
 * POST /auth against a real server on port 0: wrong password and unknown user alike, the rate
 * limits per username and per address (127.0.0.x source addresses), the success shape, CORS, and
 * body limits. The client bundle is the fake source of helpers.ts.
 */
import { md5Hex } from '../src/password.js';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startWebServer, type WebServer, type WebServerOptions, type WebUser } from '../src/index.js';
import { FAKE_CONNECT, login, manualClock, request, silent, testUsers } from './helpers.js';

let users: WebUser[];
const servers: WebServer[] = [];
beforeAll(async () => {
  users = await testUsers();
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function start(options: Partial<WebServerOptions> = {}): Promise<WebServer> {
  const server = await startWebServer({
    users,
    connectSource: () => FAKE_CONNECT,
    logger: silent,
    peersOptions: { heartbeatMs: 0 },
    ...options,
  });
  servers.push(server);
  return server;
}

describe('POST /auth', () => {
  it('answers {connect, session, ws, peer, expires} for a good login; the peer name is chosen by the server', async () => {
    const clock = manualClock();
    const server = await start({ now: clock.now, sessionTtlMs: 60_000 });
    const reply = await login(server.url, 'admin', 'secret');
    expect(reply.status).toBe(200);
    expect(reply.headers['cache-control']).toBe('no-store');
    expect(reply.body).toEqual({
      connect: FAKE_CONNECT.source,
      session: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      ws: `${server.wsUrl}`,
      peer: expect.stringMatching(/^web_admin_[0-9a-f]{12}$/),
      expires: clock.now() + 60_000,
    });
    const again = await login(server.url, 'admin', 'secret');
    expect(again.body.session).not.toBe(reply.body.session);
    expect(again.body.peer).not.toBe(reply.body.peer);
    expect(server.sessions.get(reply.body.session)).toMatchObject({ username: 'admin', peerName: reply.body.peer });
  });

  it('wrong password and unknown user: 401 with the same body, no detail', async () => {
    const server = await start();
    const wrong = await login(server.url, 'admin', 'not-it');
    const unknown = await login(server.url, 'nobody', 'secret');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.text).toBe(unknown.text);
    expect(wrong.body).toEqual({ error: 'invalid username or password' });
  });

  it('a flood of wrong passwords from one address never locks the rightful user out from another', async () => {
    const clock = manualClock();
    const server = await start({ now: clock.now });
    for (let i = 0; i < 50; i++) {
      const status = (await login(server.url, 'admin', `guess-${i}`, { localAddress: '127.0.0.1' })).status;
      expect(status).toBe(i < 5 ? 401 : 429); // the flooding address is blocked after 5
      clock.advance(100);
    }
    expect((await login(server.url, 'admin', 'secret', { localAddress: '127.0.0.1' })).status).toBe(429);
    // The rightful user, from another address, with the right password: in.
    expect((await login(server.url, 'admin', 'secret', { localAddress: '127.0.0.2' })).status).toBe(200);
  });

  it('guesses at one account spread over many addresses are held too, but not from an address the user logged in from', async () => {
    const clock = manualClock();
    const server = await start({
      now: clock.now,
      loginLimit: {
        perAddress: { maxFailures: 3, windowMs: 60_000 },
        perAccount: { maxFailures: 6, windowMs: 60_000 },
      },
    });
    expect((await login(server.url, 'admin', 'secret', { localAddress: '127.0.0.9' })).status).toBe(200); // the user's own address
    for (const address of ['127.0.0.1', '127.0.0.2', '127.0.0.3']) {
      for (let i = 0; i < 2; i++)
        expect((await login(server.url, 'admin', 'bad', { localAddress: address })).status).toBe(401);
      clock.advance(1000);
    }
    const held = await login(server.url, 'admin', 'secret', { localAddress: '127.0.0.4' });
    expect(held.status).toBe(429);
    expect(held.headers['retry-after']).toBe('57'); // failures at 0, 1 and 2 s, now 3 s: the oldest leaves the window in 57 s
    expect((await login(server.url, 'operator', 'op-pass', { localAddress: '127.0.0.4' })).status).toBe(200); // other accounts unaffected
    expect((await login(server.url, 'admin', 'secret', { localAddress: '127.0.0.9' })).status).toBe(200); // known address: in
    clock.advance(60_000); // sliding window: the failures are out
    expect((await login(server.url, 'admin', 'secret', { localAddress: '127.0.0.4' })).status).toBe(200);
  });

  it('failed logins per client address: blocked whatever the username', async () => {
    const clock = manualClock();
    const server = await start({ now: clock.now, loginLimit: { perAddress: { maxFailures: 3, windowMs: 60_000 } } });
    for (const username of ['u1', 'u2', 'u3'])
      expect((await login(server.url, username, 'x', { localAddress: '127.0.0.5' })).status).toBe(401);
    const blocked = await login(server.url, 'admin', 'secret', { localAddress: '127.0.0.5' });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBe(60);
    expect((await login(server.url, 'admin', 'secret', { localAddress: '127.0.0.6' })).status).toBe(200);
  });

  it('a body over the limit: 413; invalid JSON or fields: 400 naming the field', async () => {
    const server = await start({ maxBodyBytes: 256 });
    const big = await request(`${server.url}/auth`, { username: 'admin', password: 'x'.repeat(500) });
    expect(big.status).toBe(413);
    expect(big.body.error).toContain('256 bytes');
    const chunked = await request(`${server.url}/auth`, undefined, {
      method: 'POST',
      headers: { 'transfer-encoding': 'chunked' },
    });
    expect(chunked.status).toBe(400);
    expect((await request(`${server.url}/auth`, '{not json')).body).toEqual({ error: 'body: expected JSON' });
    const badPassword = await request(`${server.url}/auth`, { username: 'admin', password: 'secret' });
    expect(badPassword.status).toBe(400);
    expect(badPassword.body.error).toMatch(/^password: expected md5/);
    const noUser = await request(`${server.url}/auth`, { password: md5Hex('secret') });
    expect(noUser.status).toBe(400);
    expect(noUser.body.error).toMatch(/^username: /);
    expect((await request(`${server.url}/auth`, 'x', { method: 'PUT' })).status).toBe(405);
    expect((await request(`${server.url}/auth`)).status).toBe(401); // GET /auth: a session check without a session
    expect((await request(`${server.url}/elsewhere`)).status).toBe(404);
  });

  it('CORS: listed and same origins get Access-Control-Allow-Origin, preflight included; others 403', async () => {
    const server = await start({ origins: ['https://scada.example.com'] });
    const preflight = await request(`${server.url}/auth`, undefined, {
      method: 'OPTIONS',
      headers: { origin: 'https://scada.example.com', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers).toMatchObject({
      'access-control-allow-origin': 'https://scada.example.com',
      'access-control-allow-methods': 'POST, GET, DELETE',
      'access-control-allow-headers': 'Content-Type, Authorization',
    });
    const allowed = await login(server.url, 'admin', 'secret', { headers: { origin: 'https://scada.example.com' } });
    expect(allowed.status).toBe(200);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://scada.example.com');
    const same = await login(server.url, 'admin', 'secret', { headers: { origin: server.url } });
    expect(same.status).toBe(200);

    const evilPreflight = await request(`${server.url}/auth`, undefined, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example' },
    });
    expect(evilPreflight.status).toBe(403);
    expect(evilPreflight.headers['access-control-allow-origin']).toBeUndefined();
    const evil = await login(server.url, 'admin', 'secret', { headers: { origin: 'https://evil.example' } });
    expect(evil.status).toBe(403);
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('GET /connect.js serves the injected source with its ETag, 304 when unchanged', async () => {
    const server = await start();
    const first = await request(`${server.url}/connect.js`);
    expect(first.status).toBe(200);
    expect(first.text).toBe(FAKE_CONNECT.source);
    expect(first.headers.etag).toBe('"fake-bundle-1"');
    expect(
      (await request(`${server.url}/connect.js`, undefined, { headers: { 'if-none-match': '"fake-bundle-1"' } }))
        .status,
    ).toBe(304);
  });
});
