/**
 * The web UI's static files on a real server (port 0) over a temp directory: content types,
 * `immutable` caching of hashed assets and ETag revalidation of the rest, HEAD, and every way
 * out of the directory refused (raw `..`, encoded separators and dots, NUL, backslashes, hidden
 * files, a symlink pointing out). Also GET /auth (session check), DELETE /auth (logout) and
 * `http.ui` in the configuration.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseWebConfig, resolveStaticPath, serverOptions, startWebServer, type WebServer } from '../src/index.js';
import { FAKE_CONNECT, login, request, silent, tempDir, testUsers, upgradeStatus, waitFor } from './helpers.js';

const temp = tempDir();
const root = join(temp.dir, 'ui');
let server: WebServer;

/** A GET with the path sent byte for byte (no client-side normalisation). */
function rawGet(
  url: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname, port, path, method: 'GET', headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!DOCTYPE html><title>ui</title>');
  writeFileSync(join(root, 'assets', 'index-B2x_9aQf.js'), 'console.log(1)');
  writeFileSync(join(root, 'assets', 'index-C3y_0bRg.css'), 'body{}');
  writeFileSync(join(root, 'favicon.svg'), '<svg/>');
  writeFileSync(join(root, '.env'), 'SECRET=1');
  writeFileSync(join(temp.dir, 'secret.txt'), 'outside');
  symlinkSync(join(temp.dir, 'secret.txt'), join(root, 'escape.txt'));
  server = await startWebServer({
    users: await testUsers(),
    connectSource: () => FAKE_CONNECT,
    logger: silent,
    peersOptions: { heartbeatMs: 0 },
    uiDir: root,
  });
});

afterAll(async () => {
  await server?.close();
  temp.remove();
});

describe('the web UI files', () => {
  it('serves index.html at / with its type, a CSP, and revalidation (ETag, 304)', async () => {
    const reply = await rawGet(server.url, '/');
    expect(reply.status).toBe(200);
    expect(reply.text).toBe('<!DOCTYPE html><title>ui</title>');
    expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(reply.headers['cache-control']).toBe('no-cache');
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
    expect(reply.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    const etag = reply.headers.etag!;
    expect(etag).toMatch(/^W\/".+"$/);
    const again = await rawGet(server.url, '/index.html', { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
  });

  it('caches hashed assets for a year, with the right content types', async () => {
    const js = await rawGet(server.url, '/assets/index-B2x_9aQf.js');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const css = await rawGet(server.url, '/assets/index-C3y_0bRg.css');
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    const svg = await rawGet(server.url, '/favicon.svg');
    expect(svg.headers['content-type']).toBe('image/svg+xml');
    expect(svg.headers['cache-control']).toBe('no-cache');
  });

  it('answers HEAD without a body and refuses other methods on files', async () => {
    const head = await request(`${server.url}/index.html`, undefined, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String('<!DOCTYPE html><title>ui</title>'.length));
    expect(head.text).toBe('');
    expect((await request(`${server.url}/index.html`, 'x', { method: 'PUT' })).status).toBe(404);
  });

  it.each([
    ['/../secret.txt'],
    ['/assets/../../secret.txt'],
    ['/%2e%2e/secret.txt'],
    ['/assets%2F..%2F..%2Fsecret.txt'],
    ['/..%5Csecret.txt'],
    ['/index.html%00.js'],
    ['/.env'],
    ['/escape.txt'],
    ['/assets'],
    ['/missing.js'],
    ['//etc/passwd'],
  ])('refuses %s with 404 and never shows a file from outside', async (path) => {
    const reply = await rawGet(server.url, path);
    expect(reply.status).toBe(404);
    expect(reply.text).not.toContain('outside');
    expect(reply.text).not.toContain('SECRET');
  });

  it('refuses a malformed escape with 400', async () => {
    expect((await rawGet(server.url, '/%E0%A4%A')).status).toBe(400);
  });

  it('maps paths purely (resolveStaticPath)', () => {
    expect(resolveStaticPath('/srv/ui', '/a/../b')).toEqual({ status: 404 });
    expect(resolveStaticPath('/srv/ui', '/%2e%2e%2fx')).toEqual({ status: 404 });
  });

  it('keeps the API: /auth, /connect.js and unknown API paths answer as before', async () => {
    expect((await login(server.url, 'admin', 'secret')).status).toBe(200);
    expect((await rawGet(server.url, '/connect.js')).headers['content-type']).toBe('text/javascript; charset=utf-8');
  });
});

describe('GET /auth (session check)', () => {
  it('answers 200 with the expiry for a live session, 401 for none or a forged one', async () => {
    const { body } = await login(server.url, 'admin', 'secret');
    const live = await request(`${server.url}/auth`, undefined, {
      headers: { authorization: `Bearer ${body.session}` },
    });
    expect(live.status).toBe(200);
    expect(live.headers['cache-control']).toBe('no-store');
    expect(live.body).toEqual({ username: 'admin', peer: body.peer, expires: body.expires });
    expect((await request(`${server.url}/auth`)).status).toBe(401);
    expect(
      (await request(`${server.url}/auth`, undefined, { headers: { authorization: `Bearer ${'A'.repeat(43)}` } }))
        .status,
    ).toBe(401);
  });
});

describe('DELETE /auth (logout)', () => {
  it('ends the session: its WebSocket closes, a new upgrade gets 401, a second logout 401', async () => {
    const { body } = await login(server.url, 'admin', 'secret');
    const socket = new WebSocket(`${server.wsUrl}?session=${body.session}`);
    await waitFor(socket, 'open');
    const closed = waitFor(socket, 'close');
    const reply = await request(`${server.url}/auth`, undefined, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${body.session}` },
    });
    expect(reply.status).toBe(204);
    await closed;
    expect(await upgradeStatus(`${server.wsUrl}?session=${body.session}`)).toBe(401);
    const again = await request(`${server.url}/auth`, undefined, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${body.session}` },
    });
    expect(again.status).toBe(401);
    expect(
      (await request(`${server.url}/auth`, undefined, { headers: { authorization: `Bearer ${body.session}` } })).status,
    ).toBe(401);
  });
});

describe('http.ui in the configuration', () => {
  const base = { type: 'weble:config', users: [] };
  it('resolves a relative directory against the base, and false turns the UI off', () => {
    const parsed = parseWebConfig({ ...base, http: { port: 0, ui: './ui' } });
    if (!('config' in parsed)) throw new Error(parsed.problems.join('\n'));
    expect(serverOptions(parsed.config, temp.dir).uiDir).toBe(root);
    const off = parseWebConfig({ ...base, http: { port: 0, ui: false } });
    if (!('config' in off)) throw new Error(off.problems.join('\n'));
    expect(serverOptions(off.config, temp.dir).uiDir).toBeUndefined();
  });

  it('names a bad value', () => {
    expect(parseWebConfig({ ...base, http: { port: 0, ui: 3 } })).toEqual({
      problems: [expect.stringMatching(/^http\.ui: expected the path of a built web UI, or false/)],
    });
  });

  it('refuses to start on a directory without index.html, naming it', async () => {
    await expect(
      startWebServer({ users: [], connectSource: () => FAKE_CONNECT, logger: silent, uiDir: temp.dir }),
    ).rejects.toThrow(`http.ui: ${temp.dir} has no index.html`);
  });
});
