/**
 * The connect bundle in a plain CommonJS Node.js 20 script with no packages installed (a temp dir
 * outside the workspace), against a hub that needs the session: totalmem, a module event, and a
 * hub restart the client gets over on its own. Needs `pnpm build` first (it reads dist/).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import selfsigned from 'selfsigned';
import { afterEach, describe, expect, it } from 'vitest';
import { startHub, type Hub } from './hub.js';
import { Lines } from './lines.js';

// The built package, as the web server uses it (a variable specifier: typecheck needs no dist/).
const distIndex = '../dist/index.js';
const { readConnectSource } = (await import(distIndex)) as typeof import('../src/index.js');
const SESSION = 'c2Vzc2lvbi1mb3ItdGVzdHM';
const fixture = path.join(import.meta.dirname, 'fixtures', 'client.cjs');
const cleanup: Array<() => unknown> = [];

afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

function authAnswer(port: number, session = SESSION): Record<string, unknown> {
  return { connect: readConnectSource().source, session, ws: `ws://127.0.0.1:${port}/peers`, peer: 'browser-7' };
}

/** Run fixtures/client.cjs from a fresh temp dir (no node_modules above it) with `data` as data.json. */
function runClient(data: Record<string, unknown>): { child: ChildProcess; lines: Lines } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'peers-client-'));
  copyFileSync(fixture, path.join(dir, 'client.cjs'));
  writeFileSync(path.join(dir, 'data.json'), JSON.stringify(data));
  const child = spawn(process.execPath, ['client.cjs'], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  cleanup.push(() => child.exitCode === null && child.kill());
  return { child, lines: new Lines(child) };
}

async function hub(port = 0): Promise<Hub> {
  const h = await startHub(SESSION, port);
  cleanup.push(() => h.close());
  return h;
}

describe('readConnectSource', () => {
  it('is one expression evaluating to connect(data, callback), with a stable quoted ETag', () => {
    const { source, etag } = readConnectSource();
    expect(readConnectSource().etag).toBe(etag);
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(source).not.toMatch(/require\("(net|tls|ws)"\)|pino/);
    const connect: unknown = new Function('require', `return ${source}`)(undefined);
    expect(typeof connect).toBe('function');
  });
});

describe('connect in a CommonJS Node.js script with no packages', () => {
  it('gets totalmem, listens to a module event, and comes back after a hub restart', async () => {
    let h = await hub();
    const port = h.port;
    const { child, lines } = runClient(authAnswer(port));

    const start = await lines.next((l) => l.type === 'start');
    // No `ws` package to find. Node 22+ has a global WebSocket; given `require`, the bundle still
    // uses Node's own http/https upgrade (it can send the Authorization header and TLS options).
    expect(start).toMatchObject({ wsResolvable: false, globalWebSocket: typeof globalThis.WebSocket !== 'undefined' });
    expect(await lines.next((l) => l.type === 'connected')).toMatchObject({ connected: true });
    expect(await lines.next((l) => l.type === 'totalmem')).toMatchObject({ bytes: os.totalmem() });
    // The session went as the query parameter, the Authorization header and the hello's token.
    expect(h.upgrades).toEqual([{ session: SESSION, authorization: `Bearer ${SESSION}` }]);
    expect(h.peers.connectedPeers()).toEqual(['browser-7']);

    await listening(h.system, 'alarm');
    h.system.emit('alarm', { level: 2 });
    expect(await lines.next((l) => l.type === 'alarm')).toMatchObject({ value: { level: 2 } });

    await h.close();
    await lines.next((l) => l.type === 'disconnect');
    const seen = lines.all.length;
    h = await hub(port);
    await lines.next((l) => l.type === 'connect', seen);
    child.stdin!.write('totalmem\n');
    expect(await lines.next((l) => l.type === 'totalmem', seen)).toMatchObject({ bytes: os.totalmem() });
    // The subscription is replayed to the new hub.
    await listening(h.system, 'alarm');
    h.system.emit('alarm', 'again');
    expect(await lines.next((l) => l.type === 'alarm', seen)).toMatchObject({ value: 'again' });

    // disconnect() and removeAllListeners() leave nothing behind: the script exits on its own.
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.stdin!.write('exit\n');
    expect(await lines.next((l) => l.type === 'bye')).toMatchObject({ listeners: 0 });
    expect(await exited).toBe(0);
    expect(lines.stderr).toBe('');
  });

  it('connects over wss:// to a self-signed gateway with data.tls.ca', async () => {
    const certificate = localhostCertificate();
    const h = await startHub(SESSION, 0, certificate);
    cleanup.push(() => h.close());
    const { child, lines } = runClient({
      ...authAnswer(h.port),
      ws: `wss://localhost:${h.port}/peers`,
      tls: { ca: certificate.cert },
    });
    expect(await lines.next((l) => l.type === 'totalmem')).toMatchObject({ bytes: os.totalmem() });
    expect(h.upgrades).toEqual([{ session: SESSION, authorization: `Bearer ${SESSION}` }]);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.stdin!.write('exit\n');
    expect(await exited).toBe(0);
  });

  it('calls back with PEERS_UNAUTHORIZED when the upgrade is refused', async () => {
    const h = await hub();
    const { lines } = runClient({ ...authAnswer(h.port, 'forged'), connectTimeoutMs: 10_000 });
    expect(await lines.next((l) => l.type === 'error')).toMatchObject({ code: 'PEERS_UNAUTHORIZED' });
    expect(h.upgrades).toHaveLength(1);
  });

  it('calls back with an error for data without a ws URL, asynchronously', async () => {
    const connect = new Function('require', `return ${readConnectSource().source}`)(createRequire(import.meta.url)) as (
      data: unknown,
      cb: (error: (Error & { code?: string }) | null) => void,
    ) => void;
    let sync = true;
    const error = await new Promise<(Error & { code?: string }) | null>((resolve) => {
      connect({ session: 's', peer: 'p', ws: 'http://nope' }, resolve);
      sync = false;
    });
    expect(sync).toBe(false);
    expect(error?.code).toBe('PEERS_BAD_ENDPOINT');
  });
});

/** Resolves once `emitter` has a listener of `event` (the hub subscribed for the client). */
function listening(emitter: EventEmitter, event: string, timeoutMs = 10_000): Promise<void> {
  if (emitter.listenerCount(event) > 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`nobody listened to "${event}" within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onNew = (name: string | symbol): void => {
      if (name !== event) return;
      clearTimeout(timer);
      emitter.removeListener('newListener', onNew);
      resolve();
    };
    emitter.on('newListener', onNew);
  });
}

function localhostCertificate(): { cert: string; key: string } {
  const pems = selfsigned.generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    days: 1,
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }] }],
  });
  return { cert: pems.cert, key: pems.private };
}
