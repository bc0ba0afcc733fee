/**
 * Five real supervisors federated in a ring over loopback TLS (site-1 ... site-5, site-5 closing
 * the ring to site-1). site-3 is SIGKILLed. Its neighbours notice at once; the sites further away
 * hold paths to site-3 that their neighbours advertised before, and would take them for a moment
 * until the withdrawals came round the ring (a phantom: `connect @site-3`, `sites()` and `send()`
 * naming a dead site). With the hold-down (site-routes.ts) no survivor ever takes a path to site-3
 * again: each site's debug log of route choices shows none after the kill.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFederatedSite, until, type FederatedSite } from './support/federated-site.js';

const SECRET = 'federation secret of the ring';
const sites: FederatedSite[] = [];
const at = (port: number): string => `{ host: 127.0.0.1, port: ${port} }`;

async function start(name: string, wellKnown: number[]): Promise<FederatedSite> {
  const known = wellKnown.length > 0 ? `\n  wellKnownPeers: [${wellKnown.map(at).join(', ')}]` : '';
  const site = await startFederatedSite(name, `  settleMs: 150\n  secret: "${SECRET}"${known}`, { logLevel: 'debug' });
  sites.push(site);
  return site;
}

const known = async (s: FederatedSite): Promise<string[]> =>
  ((await (await s.client('supervision').require('federation')).sites()) as Array<{ site: string }>)
    .map((k) => k.site)
    .sort();

beforeAll(async () => {
  const s1 = await start('site-1', []);
  const s2 = await start('site-2', [s1.port]);
  const s3 = await start('site-3', [s2.port]);
  const s4 = await start('site-4', [s3.port]);
  await start('site-5', [s4.port, s1.port]);
  for (const s of sites)
    await until(
      `${s.name} knowing the four others`,
      async () => ((await known(s)).length === 4 ? true : undefined),
      s.output,
    );
}, 90_000);

afterAll(async () => {
  await Promise.all(sites.map((s) => s.close()));
}, 30_000);

describe('a site killed in a ring of five', () => {
  it('is never re-announced from stale paths by any survivor', async () => {
    const [s1, s2, dead, s4, s5] = sites as [FederatedSite, FederatedSite, FederatedSite, FederatedSite, FederatedSite];
    const survivors = [s1, s2, s4, s5];
    const connects: string[] = [];
    for (const s of survivors) s.client.on('connect @site-3', () => connects.push(s.name));
    const marks = new Map(survivors.map((s) => [s, s.output().length]));
    dead.supervisor.kill('SIGKILL');
    for (const s of survivors)
      await until(
        `${s.name} forgetting site-3`,
        async () => (!(await known(s)).includes('site-3') ? true : undefined),
        s.output,
      );
    // Each survivor held site-3 down; once its hold-down is over, nothing came back on its own either.
    await until('every hold-down over', async () =>
      survivors.every((s) => /hold-down over/.test(s.output().slice(marks.get(s)))) ? true : undefined,
    );
    for (const s of survivors) {
      const after = s.output().slice(marks.get(s));
      expect(after, `${s.name} took a path to the dead site`).not.toMatch(/site \\"site-3\\" reached through/);
      expect(await known(s)).not.toContain('site-3');
    }
    expect(connects).toEqual([]);
    expect(await (await s1.client('supervision').require('federation')).send('site-3', { hello: 'anyone?' })).toBe(
      false,
    );
  });
});
