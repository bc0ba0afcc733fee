/** `peers.currentCaller()` names the peer whose call runs, during the method's synchronous part, and nothing outside a call. */
import { afterEach, describe, expect, it } from 'vitest';
import { createPeers, type Peers } from '../src/create-peers.js';

const silent = { debug() {}, warn() {}, error() {} };
const opened: Peers[] = [];
afterEach(async () => {
  for (const p of opened.splice(0)) await p.close();
});

describe('peers.currentCaller()', () => {
  it('names each caller inside the method, also for a promise method before its first await, and is undefined outside', async () => {
    const hub = createPeers('hub', { logger: silent });
    opened.push(hub);
    const seen: Array<string | undefined> = [];
    hub.share('notes', {
      add(text: string, cb: (e: null, v: string) => void) {
        seen.push(hub.currentCaller());
        setImmediate(() => cb(null, `${text} by ${hub.currentCaller() ?? 'nobody'}`));
      },
      async later(): Promise<string | undefined> {
        const who = hub.currentCaller();
        await new Promise((resolve) => setImmediate(resolve));
        return `${who}/${hub.currentCaller()}`;
      },
      fails(): never {
        throw new Error('boom');
      },
    });
    const listener = await hub.listen({ host: '127.0.0.1', port: 0 });
    const [alice, bob] = ['alice', 'bob'].map((name) => createPeers(name, { logger: silent }));
    opened.push(alice!, bob!);
    for (const p of [alice!, bob!]) p.connect({ host: '127.0.0.1', port: listener.port! });
    await Promise.all(
      [alice!, bob!].map((p) => new Promise<void>((resolve) => p.once('connect hub', () => resolve()))),
    );

    const [a, b] = await Promise.all([alice!('hub').require('notes'), bob!('hub').require('notes')]);
    expect(await Promise.all([a.add('x'), b.add('y')])).toEqual(['x by nobody', 'y by nobody']);
    expect(seen.sort()).toEqual(['alice', 'bob']);
    expect(await b.later()).toBe('bob/undefined');
    await expect(a.fails()).rejects.toThrow('boom');
    expect(hub.currentCaller()).toBeUndefined();
  });
});
