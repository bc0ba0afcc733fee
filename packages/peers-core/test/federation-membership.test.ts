/**
 * Membership of federated hubs (seed 003) over real TLS site links: status lonely -> unbalanced ->
 * joined with `status::*` events, hubs learned from the federation (`wellKnownPeers.get()`),
 * rejoining through a learned hub when the well-known one dies, and the `federation` module.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { federationModule } from '../src/federation/federation-module.js';
import type { StatusChange } from '../src/federation/membership.js';
import { createPeers, type Peers } from '../src/create-peers.js';
import { tempDir, until, waitFor } from './helpers.js';
import { certificate, silent, startHub, type Hub } from './federation-helpers.js';

let cert: { cert: string; key: string };
const open: Array<{ close(): Promise<void> }> = [];
const temps: Array<ReturnType<typeof tempDir>> = [];

beforeAll(() => {
  cert = certificate();
});

afterEach(async () => {
  for (const p of open.splice(0).reverse()) await p.close();
  for (const t of temps.splice(0)) t.remove();
});

async function hub(site: string, known: Hub[] = []): Promise<Hub> {
  const h = await startHub(site, cert, known, { settleMs: 100 });
  open.push(h.peers);
  return h;
}

function statusEvent(h: Hub, status: string): Promise<StatusChange> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${h.site} never became ${status} (now ${h.federation.status()})`)),
      10_000,
    );
    h.federation.once(`status::${status}` as 'status::joined', (change) => {
      clearTimeout(timer);
      resolve(change);
    });
  });
}

describe('federation membership', () => {
  it('goes lonely -> unbalanced -> joined, with status::* and status::<name> events', async () => {
    const a = await hub('site-a');
    expect(a.federation.status()).toBe('lonely');
    const changes: StatusChange[] = [];
    a.federation.on('status::*', (c) => changes.push(c));
    const joined = statusEvent(a, 'joined');
    const b = await hub('site-b', [a]);
    expect(await joined).toEqual({ from: 'unbalanced', to: 'joined' });
    expect(changes).toEqual([
      { from: 'lonely', to: 'unbalanced' },
      { from: 'unbalanced', to: 'joined' },
    ]);
    const lonely = statusEvent(a, 'lonely');
    await b.peers.close();
    expect(await lonely).toEqual({ from: 'joined', to: 'lonely' });
  });

  it('learns the hubs of the federation, and rejoins through a learned one when its well-known peer dies', async () => {
    const a = await hub('site-a');
    const b = await hub('site-b', [a]);
    const c = await hub('site-c', [a]);
    await until(() => c.federation.sites().includes('site-b'), 10_000, 'site-c reaching site-b');
    expect(c.federation.wellKnownPeers.get()).toEqual(expect.arrayContaining([a.at, b.at]));
    expect(c.federation.known().find((k) => k.site === 'site-b')).toMatchObject({
      path: ['site-a', 'site-b'],
      endpoint: b.at,
      metadata: { building: 'site-b' },
    });

    const lonely = statusEvent(c, 'lonely');
    await a.peers.close();
    await lonely;
    // site-c never had site-b configured: it learned it, and links to it on its own.
    await statusEvent(c, 'joined');
    expect(c.federation.neighbours().map((n) => n.site)).toEqual(['site-b']);
    b.peers.share('info', { ping: (cb: (e: null, s: string) => void) => cb(null, 'pong') });
    expect(await c.peers('supervision@site-b').call('info', 'ping')).toEqual(['pong']);
  });

  it('the federation module gives local peers the status, the learned hubs and the events', async () => {
    const a = await hub('site-a');
    const shared = federationModule(a.federation);
    a.peers.share('federation', shared);
    const tmp = tempDir();
    temps.push(tmp);
    await a.peers.listen(tmp.sock('a'));
    const logic: Peers = createPeers('logic_watch', { logger: silent });
    open.push(logic);
    logic.connect(tmp.sock('a'));
    await waitFor(logic, 'connect supervision');
    const federation = await logic('supervision').require('federation');
    expect(await federation.status()).toBe('lonely');
    const seen: StatusChange[] = [];
    federation.on('status::*', (c: StatusChange) => seen.push(c));
    const joined = new Promise((resolve) => federation.once('status::joined', resolve));
    await until(
      () => shared.listenerCount('status::*') > 0 && shared.listenerCount('status::joined') > 0,
      5000,
      'the subscriptions reaching the hub',
    );
    const b = await hub('site-b', [a]);
    expect(await joined).toEqual({ from: 'unbalanced', to: 'joined' });
    expect(seen.map((c) => c.to)).toEqual(['unbalanced', 'joined']);
    expect(await federation.wellKnownPeers()).toEqual([b.at]);
    expect(await federation.sites()).toEqual([expect.objectContaining({ site: 'site-b', endpoint: b.at })]);
    expect(await federation.site()).toBe('site-a');
  });
});
