/** A share filter sees the method of each call, so a module can open some methods only to some callers. */
import { afterEach, describe, expect, it } from 'vitest';
import { createPeers, type Peers } from '../src/create-peers.js';

const silent = { debug() {}, warn() {}, error() {} };
const opened: Peers[] = [];
afterEach(async () => {
  for (const p of opened.splice(0)) await p.close();
});

describe('share filters per method', () => {
  it('are asked without a method on require and subscribe, and with the method on every call', async () => {
    const asked: Array<[string, string | undefined]> = [];
    const hub = createPeers('hub', { logger: silent });
    opened.push(hub);
    const { EventEmitter } = await import('node:events');
    const tools = Object.assign(new EventEmitter(), {
      read: (cb: (e: null, v: number) => void) => cb(null, 1),
      wipe: (cb: (e: null, v: string) => void) => cb(null, 'wiped'),
    });
    hub.share('tools', tools, (caller, method) => {
      asked.push([caller, method]);
      return method !== 'wipe' || caller === 'admin';
    });
    const listener = await hub.listen({ host: '127.0.0.1', port: 0 });
    const guest = createPeers('guest', { logger: silent });
    const admin = createPeers('admin', { logger: silent });
    opened.push(guest, admin);
    for (const p of [guest, admin]) p.connect({ host: '127.0.0.1', port: listener.port! });
    await Promise.all(
      [guest, admin].map((p) => new Promise<void>((resolve) => p.once('connect hub', () => resolve()))),
    );

    const remote = await guest('hub').require('tools');
    expect(await remote.read()).toBe(1);
    await expect(remote.wipe()).rejects.toMatchObject({
      code: 'PEERS_FORBIDDEN',
      message: 'peer "guest" may not use method "wipe" of module "tools" on "hub"',
    });
    remote.on('changed', () => undefined);
    await remote.read(); // the subscription was checked before this answer
    expect(await (await admin('hub').require('tools')).wipe()).toBe('wiped');

    expect(asked).toEqual(
      expect.arrayContaining([
        ['guest', undefined], // require (describe) and subscribe
        ['guest', 'read'],
        ['guest', 'wipe'],
        ['admin', 'wipe'],
      ]),
    );
    expect(asked.filter(([c, m]) => c === 'guest' && m === undefined).length).toBeGreaterThanOrEqual(2);
  });
});
