/**
 * Hop-by-hop routing through two hubs (a browser behind `webserver` behind `supervision`), with
 * sender stamping, event fan-out along interests, and recovery when the middle of the mesh restarts.
 */
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Code } from '../src/errors.js';
import { createPeers, type Peers } from '../src/create-peers.js';
import { RawClient, MessageType, tempDir, until, waitFor } from './helpers.js';

const silent = { debug() {}, warn() {}, error() {} };
const fast = { logger: silent, backoff: { initialMs: 20, maxMs: 200 } };

let tmp: ReturnType<typeof tempDir>;
const open: Peers[] = [];

function peer(name: string): Peers {
  const p = createPeers(name, fast);
  open.push(p);
  return p;
}

beforeEach(() => {
  tmp = tempDir();
});

afterEach(async () => {
  for (const p of open.splice(0).reverse()) await p.close();
  tmp.remove();
});

async function twoHubs(): Promise<{ a: Peers; b: Peers; driver: Peers; device: EventEmitter; callers: string[] }> {
  // The hub lets `webserver` speak for the browsers behind it, and for nobody else (trust.ts).
  const a = createPeers('supervision', {
    ...fast,
    mayAnnounce: (hello, name) => hello.name === 'webserver' && name.startsWith('browser_'),
  });
  open.push(a);
  await a.listen(tmp.sock('a'));
  const b = peer('webserver');
  await b.listen(tmp.sock('b'));
  b.connect(tmp.sock('a'));
  const driver = peer('driver_virtual_1');
  const device = new EventEmitter();
  const callers: string[] = [];
  driver.share(
    'driver',
    Object.assign(device, {
      read(key: string, cb: (e: Error | null, v?: unknown) => void) {
        cb(null, `value of ${key}`);
      },
    }),
    (caller) => {
      callers.push(caller);
      return caller.startsWith('browser_');
    },
  );
  driver.connect(tmp.sock('a'));
  await waitFor(a, 'connect webserver');
  await waitFor(a, 'connect driver_virtual_1', () => true).catch(() => undefined);
  await until(
    () => a.connectedPeers().includes('driver_virtual_1') && b.connectedPeers().includes('driver_virtual_1'),
    5000,
    'driver known',
  );
  return { a, b, driver, device, callers };
}

describe('routing through two hubs', () => {
  it('a call crosses both hubs, stamped with the caller name, and comes back', async () => {
    const { callers } = await twoHubs();
    const browser = peer('browser_1');
    browser.connect(tmp.sock('b'));
    await waitFor(browser, 'connect driver_virtual_1');
    expect(browser.connectedPeers().sort()).toEqual(['driver_virtual_1', 'supervision', 'webserver']);
    const drv = await browser('driver_virtual_1').require('driver');
    expect(await (drv.read as (k: string) => Promise<string>)('4/7/25')).toBe('value of 4/7/25');
    expect(new Set(callers)).toEqual(new Set(['browser_1']));
  });

  it('events fan out along the interests of both hubs', async () => {
    const { device } = await twoHubs();
    const b1 = peer('browser_1');
    const b2 = peer('browser_2');
    b1.connect(tmp.sock('b'));
    b2.connect(tmp.sock('b'));
    await Promise.all([waitFor(b1, 'connect driver_virtual_1'), waitFor(b2, 'connect driver_virtual_1')]);
    const got1: unknown[] = [];
    const got2: unknown[] = [];
    (await b1('driver_virtual_1').require('driver')).on('newValue 1', (v: unknown) => got1.push(v));
    (await b2('driver_virtual_1').require('driver')).on('newValue 1', (v: unknown) => got2.push(v));
    await until(() => device.listenerCount('newValue 1') === 1, 5000, 'one forwarder at the source');
    // Subscriptions complete asynchronously (SUB, then SUB_ACK back through both hubs): keep
    // emitting numbered values until both browsers have one, then check nothing was duplicated.
    let n = 0;
    await until(
      () => {
        if (got1.length > 0 && got2.length > 0) return true;
        device.emit('newValue 1', ++n);
        return false;
      },
      5000,
      'both browsers got a value',
    );
    device.emit('newValue 1', 'last');
    await until(() => got1.includes('last') && got2.includes('last'), 5000, 'last value');
    expect(new Set(got1).size).toBe(got1.length);
    expect(new Set(got2).size).toBe(got2.length);
    expect(device.listenerCount('newValue 1')).toBe(1);
  });

  it('a pending call fails at once with PEER_DISCONNECTED when the far hub goes away, and all recovers', async () => {
    const { a, device } = await twoHubs();
    const browser = peer('browser_1');
    browser.connect(tmp.sock('b'));
    await waitFor(browser, 'connect driver_virtual_1');
    const drv = await browser('driver_virtual_1').require('driver');
    const got: unknown[] = [];
    drv.on('newValue 2', (v: unknown) => got.push(v));
    await until(() => device.listenerCount('newValue 2') === 1, 5000, 'interest');
    (device as EventEmitter & { read: () => void }).read = () => {}; // never answers
    const pending = (drv.read as (k: string) => Promise<unknown>)('x');
    const failed = expect(pending).rejects.toMatchObject({ code: Code.PEER_DISCONNECTED });
    const started = Date.now();
    await a.close();
    await failed;
    expect(Date.now() - started).toBeLessThan(2000);
    // the hub comes back on the same path; webserver and driver reconnect by themselves
    const a2 = createPeers('supervision', {
      ...fast,
      mayAnnounce: (hello, name) => hello.name === 'webserver' && name.startsWith('browser_'),
    });
    open.push(a2);
    await a2.listen(tmp.sock('a'));
    await waitFor(browser, 'connect driver_virtual_1', () => true, 10000);
    await until(() => device.listenerCount('newValue 2') === 1, 5000, 'interest replayed through two hops');
    device.emit('newValue 2', 'again');
    await until(() => got.includes('again'), 5000, 'event after recovery');
  });

  it('a message past the hop limit is answered with HOP_LIMIT', async () => {
    await twoHubs();
    const raw = await RawClient.connect(tmp.sock('a'));
    try {
      raw.hello('browser_9');
      await raw.next((m) => m.type === MessageType.WELCOME);
      raw.send(MessageType.CALL, 'driver_virtual_1', '', 'driver', [5, 'read', ['k']], 1);
      const result = await raw.next((m) => m.type === MessageType.RESULT);
      expect((result?.decoded as unknown[])[0]).toBe(5);
      expect((result?.decoded as unknown[])[1]).toMatchObject({ code: Code.HOP_LIMIT });
    } finally {
      raw.destroy();
    }
  });

  it('a name taken anywhere in the mesh is refused at any hub', async () => {
    await twoHubs();
    const dup = peer('driver_virtual_1');
    dup.connect(tmp.sock('b'));
    const [, error] = await waitFor<[string, Error & { code?: string }]>(dup, 'error');
    expect(error.code).toBe(Code.NAME_TAKEN);
    dup.disconnect();
  });
});
