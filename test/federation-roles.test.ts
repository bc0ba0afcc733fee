/**
 * Roles across federated sites (docs/roles.md, "Other sites"): site-b's own processes act on
 * site-a as an operator would (read, write, listen; no configuration, no process control, no audit
 * trail), and a web session of site-b, whose role site-a cannot know, acts there as a viewer.
 * Real supervisors, a real web session on site-b (POST /auth, WebSocket), the audit trail of site-a.
 */
import createPeers, { type Peers } from '@weble/peers-core';
import { hashPassword, md5Hex } from '@weble/supervisor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFederatedSite, until, type FederatedSite } from './support/federated-site.js';

const SECRET = 'federation secret of the roles test';
const silent = { debug() {}, warn() {}, error() {} };
let a: FederatedSite;
let b: FederatedSite;
let web: Peers | undefined;

beforeAll(async () => {
  a = await startFederatedSite('site-a', `  secret: "${SECRET}"`, {
    body: `gateways:
  - { id: 1, type: virtual, name: boiler, config: {} }
addresses:
  - { key: "1/0/1", gateway: 1, point: { type: number, initial: 20 } }`,
  });
  const hash = await hashPassword(md5Hex('pw'));
  b = await startFederatedSite(
    'site-b',
    `  secret: "${SECRET}"\n  wellKnownPeers: { host: 127.0.0.1, port: ${a.port} }`,
    {
      body: `http: { port: 0 }
users:
  - { username: bea, role: admin, passwordHash: "${hash}" }`,
    },
  );
  await until(
    'site-b learning @site-a and its driver up',
    async () => {
      if (!b.client.connectedPeers().includes('@site-a')) return undefined;
      const [processes] = (await b.client('supervision').call('system', 'processes', [])) as [
        Array<{ name: string; state: string }>,
      ];
      if (processes.find((p) => p.name === 'webserver')?.state !== 'up') return undefined;
      return b
        .client('supervision@site-a')
        .call('gateways', 'readValue', ['1/0/1'])
        .then(
          () => true,
          () => undefined,
        );
    },
    b.output,
    30_000,
  );
}, 90_000);

afterAll(async () => {
  await web?.close();
  await b?.close();
  await a?.close();
});

const refusal = (p: Promise<unknown>): Promise<Error & { code?: string }> =>
  p.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: Error & { code?: string }) => e,
  );

describe('roles of callers from another site', () => {
  it("site-b's processes read and write on site-a, and may not configure it, control its processes or read its audit trail", async () => {
    const remote = b.client('supervision@site-a');
    await remote.call('gateways', 'writeValue', ['1/0/1', 31]);
    expect((await remote.call('gateways', 'readValue', ['1/0/1']))[0]).toBe(31);
    const insert = await refusal(
      remote.call('gateways', 'insertAddress', [{ key: '1/0/2', gateway: 1, point: { type: 'number' } }]),
    );
    expect(insert).toMatchObject({ code: 'PEERS_FORBIDDEN' });
    expect(insert.message).toContain(
      'ROLE_FORBIDDEN: gateways.insertAddress needs the role admin; peers of other sites act as operator here (caller "client_site_b@site-b")',
    );
    expect((await refusal(remote.call('system', 'restart', ['driver_virtual_1']))).message).toContain(
      "system.restart stays with this site's own peers",
    );
    expect((await refusal(remote.call('audit', 'query', [{}]))).message).toContain(
      "audit.query stays with this site's own peers",
    );
    const [entries] = (await a.client('supervision').call('audit', 'query', [{ action: 'write' }])) as [
      Array<Record<string, unknown>>,
    ];
    expect(entries[0]).toMatchObject({
      user: 'client_site_b@site-b',
      role: null,
      target: '1/0/1',
      detail: { previous: 20, value: 31 },
      result: 'ok',
    });
  });

  it('a web session of site-b (an admin there) only reads on site-a', async () => {
    const [address] = await b.client('webserver').call('web', 'address', []);
    const response = await fetch(`${(address as { url: string }).url}/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'bea', password: md5Hex('pw') }),
    });
    const login = (await response.json()) as { session: string; ws: string; peer: string };
    web = createPeers(login.peer, { logger: silent, backoff: { initialMs: 20, maxMs: 200 } });
    web.connect(`${login.ws}?session=${login.session}`);
    await until('the session reaching site-a', () => web!.connectedPeers().includes('@site-a') || undefined, b.output);
    expect((await web('supervision@site-a').call('gateways', 'readValue', ['1/0/1']))[0]).toBe(31);
    const write = await refusal(web('supervision@site-a').call('gateways', 'writeValue', ['1/0/1', 1]));
    expect(write.message).toContain(
      `gateways.writeValue needs the role operator; peers of other sites act as viewer here (caller "${login.peer}@site-b")`,
    );
    // At home, the same session is an admin.
    await web('supervision').call('gateways', 'listGateways', []);
    expect((await web('supervision').call('access', 'whoami', []))[0]).toMatchObject({ user: 'bea', role: 'admin' });
  });
});
