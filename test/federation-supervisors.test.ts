/**
 * Federation with real supervisors: four `weble-supervisor start` processes (and an intruder), each with a
 * `federation` section (TLS `auto`, a shared secret, listening on a port from the OS), joined
 * through one well-known peer (site-a). A client on site-b uses `gateways` of
 * `supervision@site-c` (two site hops, through site-a) and receives its `newValue` events; a
 * site with the wrong secret is refused with a clear reason.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFederatedSite, until, type FederatedSite } from './support/federated-site.js';

const SECRET = 'federation secret of the test campus';

type Site = FederatedSite;

/** A site of this test: `gateways` are more top-level sections of its site.yaml. */
function startSite(name: string, federation: string, gateways = '', prepare?: (dir: string) => void): Promise<Site> {
  return startFederatedSite(name, federation, { body: gateways, ...(prepare ? { prepare } : {}) });
}

const sites: Site[] = [];
let a: Site;
let b: Site;
let c: Site;

beforeAll(async () => {
  a = await startSite('site-a', `  secret: "${SECRET}"\n  metadata: { building: A }`);
  sites.push(a);
  const joinA = `  wellKnownPeers: { host: 127.0.0.1, port: ${a.port} }`;
  const started = await Promise.allSettled([
    startSite('site-b', `  secret: "${SECRET}"\n${joinA}`),
    startSite('site-d', `  secret: "${SECRET}"\n${joinA}\n  metadata: { building: D }`),
    startSite(
      'site-c',
      `  secretFile: ./secret.txt\n${joinA}`,
      `gateways:
  - { id: 1, type: virtual, name: boiler, config: {} }
addresses:
  - { key: "4/7/25", gateway: 1, name: supply_temp, point: { type: number, initial: 20 } }`,
      (dir) => writeFileSync(join(dir, 'secret.txt'), `${SECRET}\n`, { mode: 0o600 }),
    ),
  ]);
  for (const s of started) if (s.status === 'fulfilled') sites.push(s.value);
  for (const s of started) if (s.status === 'rejected') throw s.reason;
  [b, , c] = sites.slice(1) as [Site, Site, Site];
}, 60_000);

afterAll(async () => {
  for (const site of sites.reverse()) await site.close();
});

describe('federation between supervisors', () => {
  it('a client on site-b uses gateways of supervision@site-c through site-a, and gets its newValue events', async () => {
    await until(
      'site-b learning @site-c',
      () => (b.client.connectedPeers().includes('@site-c') ? true : undefined),
      b.output,
    );
    const gateways = await b.client('supervision@site-c').require('gateways');
    const values: unknown[] = [];
    gateways.on('newValue supply_temp', (...args: unknown[]) => values.push(args));
    // The federation is up before site-c's driver: write until the gateway takes it.
    await until(
      'the gateway of site-c up, and the subscription there',
      async () => {
        await gateways.writeValue('4/7/25', 21.5).catch(() => undefined);
        return values.length > 0 ? true : undefined;
      },
      c.output,
    );
    await gateways.writeValue('supply_temp', 23);
    await until(
      'newValue 23 across two site hops',
      () => (JSON.stringify(values).includes('23') ? true : undefined),
      c.output,
    );
    const [last] = await b.client('supervision@site-c').call('gateways', 'getLastValue', ['supply_temp']);
    expect(JSON.stringify(last)).toContain('23');
    // site-a only relays: no local name of site-b or site-c is known there.
    expect(a.client.connectedPeers().filter((n) => n.startsWith('client_site') || n.includes('driver_'))).toEqual([]);
    expect(a.client.connectedPeers()).toEqual(expect.arrayContaining(['@site-b', '@site-c']));
  });

  it("another site may use gateways but not control this site's processes (system refuses qualified callers)", async () => {
    await until(
      'site-b learning @site-c',
      () => (b.client.connectedPeers().includes('@site-c') ? true : undefined),
      b.output,
    );
    await expect(b.client('supervision@site-c').call('system', 'processes', [])).rejects.toMatchObject({
      code: 'PEERS_FORBIDDEN',
    });
    const [local] = await c.client('supervision').call('system', 'processes', []);
    expect(Array.isArray(local)).toBe(true);
  });

  it('the federation module of supervision tells local peers the status, the sites and the hubs learned', async () => {
    const federation = await b.client('supervision').require('federation');
    await until('site-b joined', async () => ((await federation.status()) === 'joined' ? true : undefined), b.output);
    const known = (await federation.sites()) as Array<{
      site: string;
      path: string[];
      metadata: Record<string, unknown>;
    }>;
    expect(known.map((k) => k.site).sort()).toEqual(['site-a', 'site-c', 'site-d']);
    expect(known.find((k) => k.site === 'site-d')).toMatchObject({
      path: ['site-a', 'site-d'],
      metadata: { building: 'D' },
    });
    const hubs = (await federation.wellKnownPeers()) as Array<{ host: string; port: number }>;
    expect(hubs).toEqual(
      expect.arrayContaining([
        { host: '127.0.0.1', port: a.port },
        { host: '127.0.0.1', port: c.port },
      ]),
    );
  });

  it('a site with the wrong secret is refused with PEERS_WRONG_SECRET, and says so in its log', async () => {
    const intruder = await startSite(
      'site-x',
      `  secret: "not the secret of this federation"\n  wellKnownPeers: { host: 127.0.0.1, port: ${a.port} }`,
    );
    sites.push(intruder);
    await until(
      'the refusal in the intruder log',
      () => (/PEERS_WRONG_SECRET/.test(intruder.output()) ? true : undefined),
      intruder.output,
    );
    expect(intruder.output()).toMatch(/did not prove the shared secret/);
    expect(intruder.client.connectedPeers()).not.toContain('@site-a');
    await until(
      'the refusal in site-a log',
      () => (/PEERS_WRONG_SECRET/.test(a.output()) ? true : undefined),
      a.output,
    );
  });
});
