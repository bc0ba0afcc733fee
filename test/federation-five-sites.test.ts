/**
 * Five real supervisors federated over loopback TLS (issue 10), each a `weble-supervisor start`
 * process with a `federation` section (TLS `auto`, a shared secret, ports from the OS, short
 * settle times). The links:
 *
 *     site-a --- site-b          site-b and site-c join through site-a (one well-known peer);
 *       |          |             site-d links to site-b and site-c through TCP proxies the test
 *     site-c --- site-d --- site-e   owns (so it can partition the federation); site-e joins
 *                                through site-d. site-d and site-e advertise proxies too.
 *
 * Shown: join and status transitions; a call and an event across two site hops; the middle site
 * killed and traffic rerouted; a partition and its healing; a site joining moves responsibility
 * for some values and fires environment::*; selection by property; wrong secret and wrong
 * certificate refused with a clear reason.
 */
import { execFileSync } from 'node:child_process';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import type { ModuleProxy } from '@weble/peers-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFederatedSite, until, type FederatedSite } from './support/federated-site.js';

const SECRET = 'federation secret of the five test sites';

interface Site extends FederatedSite {
  /** `federation` of its own `supervision`, through the site's client. */
  federation: ModuleProxy;
}

/** A site of this test: short settle and action times; `prepare` adds files to its dir first. */
async function startSite(name: string, federation: string, prepare?: (dir: string) => void): Promise<Site> {
  const site = await startFederatedSite(
    name,
    `  settleMs: 150\n  actionTimeoutMs: 3000\n${federation}`,
    prepare ? { prepare } : {},
  );
  return Object.assign(site, { federation: await site.client('supervision').require('federation') });
}

/** A TCP proxy on a port from the OS in front of `target`; `cut()` drops its connections and refuses new ones until `heal()`. */
interface Proxy {
  port: number;
  target: number | undefined;
  cut(): void;
  heal(): void;
  close(): Promise<void>;
}
async function proxy(): Promise<Proxy> {
  const sockets = new Set<Socket>();
  let isCut = false;
  const p: Partial<Proxy> & { target: number | undefined } = { target: undefined };
  const server: Server = createServer((down) => {
    if (isCut || p.target === undefined) {
      down.destroy();
      return;
    }
    const up = connect(p.target, '127.0.0.1');
    for (const s of [down, up]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => {
        sockets.delete(s);
        down.destroy();
        up.destroy();
      });
    }
    down.pipe(up).pipe(down);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(p, {
    port: (server.address() as { port: number }).port,
    cut() {
      isCut = true;
      for (const s of sockets) s.destroy();
    },
    heal() {
      isCut = false;
    },
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  }) as Proxy;
}

const sites: Site[] = [];
const proxies: Proxy[] = [];
let a: Site;
let b: Site;
let c: Site;
let d: Site;
let e: Site;
let toB: Proxy;
let toC: Proxy;
let toD: Proxy;
let toE: Proxy;

const secret = `  secret: "${SECRET}"`;
const at = (port: number): string => `{ host: 127.0.0.1, port: ${port} }`;
const sitesOf = async (s: Site): Promise<Array<{ site: string; path: string[] }>> =>
  (await s.federation.sites()) as Array<{ site: string; path: string[] }>;
const names = async (s: Site): Promise<string> =>
  (await sitesOf(s))
    .map((k) => k.site)
    .sort()
    .join(',');
const pathTo = async (s: Site, site: string): Promise<string> =>
  ((await sitesOf(s)).find((k) => k.site === site)?.path ?? []).join('>');

beforeAll(async () => {
  [toB, toC, toD, toE] = await Promise.all([proxy(), proxy(), proxy(), proxy()]);
  proxies.push(toB, toC, toD, toE);
  a = await startSite('site-a', `${secret}\n  metadata: { role: hub }`);
  sites.push(a);
  const [sb, sc] = await Promise.all([
    startSite('site-b', `${secret}\n  wellKnownPeers: ${at(a.port)}\n  metadata: { role: meter }`),
    startSite('site-c', `${secret}\n  wellKnownPeers: ${at(a.port)}\n  metadata: { role: Meter }`),
  ]);
  sites.push((b = sb), (c = sc));
  toB.target = b.port;
  toC.target = c.port;
  // site-c is known to site-b through site-a before site-d offers a path of the same length.
  await until('site-b reaching site-c', async () => (await pathTo(b, 'site-c')) === 'site-a>site-c', b.output);
  sites.push(
    (d = await startSite(
      'site-d',
      `${secret}\n  wellKnownPeers: [${at(toB.port)}, ${at(toC.port)}]\n  advertise: ${at(toD.port)}\n  metadata: { role: boiler }`,
    )),
  );
  toD.target = d.port;
  sites.push(
    (e = await startSite(
      'site-e',
      `${secret}\n  wellKnownPeers: ${at(d.port)}\n  advertise: ${at(toE.port)}\n  metadata: { role: meter }`,
    )),
  );
  toE.target = e.port;
}, 60_000);

afterAll(async () => {
  await Promise.all(sites.map((s) => s.close()));
  await Promise.all(proxies.map((p) => p.close()));
}, 30_000);

describe('five federated supervisors', () => {
  it('join through one well-known peer and go lonely -> unbalanced -> joined', async () => {
    for (const s of sites) {
      await until(
        `${s.name} joined with four other sites`,
        async () => (await s.federation.status()) === 'joined' && (await names(s)).split(',').length === 4,
        s.output,
      );
    }
    expect(await names(e)).toBe('site-a,site-b,site-c,site-d');
    for (const s of [b, c, e]) {
      expect(s.output()).toMatch(/"from":"lonely","to":"unbalanced"/);
      expect(s.output()).toMatch(/"from":"unbalanced","to":"joined"/);
    }
    expect(await pathTo(e, 'site-a')).toMatch(/^site-d>site-[bc]>site-a$/);
  });

  it('a call and an event cross two site hops (site-e -> site-d -> site-b)', async () => {
    expect(await pathTo(e, 'site-b')).toBe('site-d>site-b');
    // A call and an event of site-b's `gateways` (shared with other sites) from a client of site-e.
    const gateways = await e.client('supervision@site-b').require('gateways');
    const inserted = new Promise<unknown[]>((resolve) =>
      gateways.on('gatewayInserted', (...args: unknown[]) => resolve(args)),
    );
    expect(await gateways.listGateways()).toEqual([]); // the subscription is in place once a later call came back
    // Changing site-b's gateways is for site-b's own peers: refused from site-e, done by site-b's client.
    await expect(gateways.insertGateway({ id: 'far', type: 'virtual', config: {} })).rejects.toMatchObject({
      code: 'PEERS_FORBIDDEN',
      // The role table's ceiling for other sites (docs/roles.md, "Other sites").
      message: expect.stringContaining(
        'ROLE_FORBIDDEN: gateways.insertGateway needs the role admin; peers of other sites act as operator here (caller "client_site_e@site-e")',
      ),
    });
    await b.client('supervision').call('gateways', 'insertGateway', [{ id: 'far', type: 'virtual', config: {} }]);
    expect(JSON.stringify(await inserted)).toContain('"far"');
    // The `federation` module itself is for local peers only.
    await expect(e.client('supervision@site-b').call('federation', 'site', [])).rejects.toMatchObject({
      code: 'PEERS_FORBIDDEN',
    });
    // A datagram and an action across the same hops.
    const got = new Promise<unknown[]>((resolve) => b.federation.on('message', (...args: unknown[]) => resolve(args)));
    await b.federation.status(); // the subscription is in place once a later call came back
    expect(await c.federation.send('site-b', { hello: 'from c' })).toBe(true);
    expect(await got).toEqual([{ hello: 'from c' }, 'site-c']);
    expect(await e.federation.run('site-b', 'handle/ping', 7)).toMatchObject({ site: 'site-b', payload: 7 });
  });

  it('the middle site killed: traffic from site-b to site-c reroutes through site-d', async () => {
    expect(await pathTo(b, 'site-c')).toBe('site-a>site-c');
    a.supervisor.kill('SIGKILL');
    await until('site-b rerouting to site-c', async () => (await pathTo(b, 'site-c')) === 'site-d>site-c', b.output);
    expect(await b.federation.run('site-c', 'handle/ping', 'rerouted')).toMatchObject({
      site: 'site-c',
      payload: 'rerouted',
    });
    await until('site-a gone everywhere', async () => !(await names(e)).includes('site-a'), e.output);
  });

  it('a partition splits {site-b, site-c} from {site-d, site-e}; healing joins them again', async () => {
    for (const p of proxies) p.cut();
    await until('site-b seeing only site-c', async () => (await names(b)) === 'site-c', b.output);
    await until('site-e seeing only site-d', async () => (await names(e)) === 'site-d', e.output);
    await expect(b.federation.run('site-e', 'handle/ping', 1)).rejects.toMatchObject({ code: 'PEER_DISCONNECTED' });
    expect(await e.federation.run('site-d', 'handle/ping', 'inside')).toMatchObject({ site: 'site-d' });
    for (const p of proxies) p.heal();
    for (const s of [b, c, d, e])
      await until(
        `${s.name} seeing the three others again`,
        async () => (await names(s)).split(',').length === 3 && (await s.federation.status()) === 'joined',
        s.output,
      );
    expect(await b.federation.run('site-e', 'handle/ping', 'healed')).toMatchObject({
      site: 'site-e',
      payload: 'healed',
    });
  });

  it('a site joining takes over responsibility for some values (only those) and fires environment::*', async () => {
    const values = Array.from({ length: 200 }, (_, i) => `meter/${i}`);
    const ownerAt = async (s: Site, v: string): Promise<string> =>
      ((await s.client('supervision').call('federation', 'getEndpointFor', [v])) as unknown[])[2] as string;
    const before = await Promise.all(values.map((v) => ownerAt(b, v)));
    expect(await Promise.all(values.map((v) => ownerAt(e, v)))).toEqual(before);
    const events: Array<[string, string, string | undefined]> = [];
    for (const s of [b, c, d, e])
      s.federation.on('environment::*', (n: { site?: string } | undefined, which: string) =>
        events.push([s.name, which, n?.site]),
      );
    for (const s of [b, c, d, e]) await s.federation.status(); // subscriptions in place
    const f = await startSite('site-f', `${secret}\n  wellKnownPeers: ${at(c.port)}\n  metadata: { role: boiler }`);
    sites.push(f);
    for (const s of [b, e, f])
      await until(
        `${s.name} knowing four sites`,
        async () => (await names(s)).split(',').length === 4 && (await s.federation.status()) === 'joined',
        s.output,
      );
    const after = await Promise.all(values.map((v) => ownerAt(b, v)));
    const moved = values.filter((_, i) => after[i] !== before[i]);
    expect(moved.length).toBeGreaterThan(0);
    for (const [i] of values.entries()) if (after[i] !== before[i]) expect(after[i]).toBe('site-f');
    expect(await Promise.all(values.map((v) => ownerAt(f, v)))).toEqual(after);
    await until(
      'environment events naming site-f',
      () =>
        events.some((x) => x[1] === 'successor' && x[2] === 'site-f') &&
        events.some((x) => x[1] === 'predecessor' && x[2] === 'site-f'),
    );
  });

  it('selection by property asks only the matching sites, and each answers', async () => {
    const all = (await b.federation.select({
      prop: 'role',
      value: ['METER'],
      action: 'handle/ping',
      payload: 'roll call',
    })) as { asked: string[]; answers: Array<{ site: string; result?: { site: string } }> };
    expect([...all.asked].sort()).toEqual(['site-c', 'site-e']);
    expect(all.answers.map((x) => x.result?.site).sort()).toEqual(['site-c', 'site-e']);
    const one = (await b.federation.select({
      count: 1,
      prop: 'role',
      value: ['boiler', 'hub'],
      action: 'handle/ping',
    })) as { asked: string[] };
    expect(one.asked).toHaveLength(1);
    expect(['site-d', 'site-f']).toContain(one.asked[0]);
  });

  it('a site with a wrong secret, or whose TLS trust refuses the certificate, is refused with a clear reason', async () => {
    const wrong = await startSite(
      'site-x',
      `  secret: "not the secret of this federation"\n  wellKnownPeers: ${at(b.port)}`,
    );
    sites.push(wrong);
    await until(
      'the refusal in the site-x log',
      () => /PEERS_WRONG_SECRET/.test(wrong.output()) && /did not prove the shared secret/.test(wrong.output()),
      wrong.output,
    );
    await until('the refusal in the site-b log', () => /PEERS_WRONG_SECRET/.test(b.output()), b.output);
    const certs = (dir: string): void => {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-keyout',
          join(dir, 'key.pem'),
          '-out',
          join(dir, 'cert.pem'),
          '-subj',
          '/CN=weble-untrusted',
          '-days',
          '1',
        ],
        { stdio: 'ignore' },
      );
    };
    const untrusting = await startSite(
      'site-y',
      `${secret}\n  wellKnownPeers: ${at(b.port)}\n  tls: { cert: ./cert.pem, key: ./key.pem, ca: ./cert.pem }`,
      certs,
    );
    sites.push(untrusting);
    await until(
      'the certificate refusal in the site-y log',
      () => /PEERS_CERT_REJECTED/.test(untrusting.output()) && /certificate rejected by TLS/.test(untrusting.output()),
      untrusting.output,
    );
    expect(await names(b)).not.toMatch(/site-x|site-y/);
    expect(await untrusting.federation.status()).toBe('lonely');
  });
});
