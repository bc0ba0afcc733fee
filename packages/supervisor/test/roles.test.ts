/**
 * Roles enforced where the call lands (docs/roles.md): a real site, and for each role a
 * hand-written peer on a real web session (POST /auth, WebSocket) that bypasses the UI and calls
 * the core modules directly. Every refusal is PEERS_FORBIDDEN with a ROLE_FORBIDDEN message naming
 * the user, the role, module.method and the role needed; the site's own processes are not limited.
 */
import { Code, type Peers } from '@weble/peers-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRoleSite, type RoleSite } from './fixtures/role-site.js';

let roles: RoleSite;
let ada: Peers;
let otto: Peers;
let vera: Peers;
let nora: Peers;

beforeAll(async () => {
  roles = await startRoleSite();
  [ada, otto, vera, nora] = (await Promise.all(['ada', 'otto', 'vera', 'nora'].map((u) => roles.webPeer(u)))) as [
    Peers,
    Peers,
    Peers,
    Peers,
  ];
}, 60_000);

afterAll(async () => {
  await roles?.close();
});

const call = (p: Peers, module: string, method: string, args: unknown[] = []): Promise<unknown[]> =>
  p('supervision').call(module, method, args);

async function refused(p: Peers, module: string, method: string, args: unknown[] = []): Promise<string> {
  const error = (await call(p, module, method, args).then(
    () => undefined,
    (e: Error & { code?: string }) => e,
  ))!;
  expect(error, `${module}.${method} should be refused`).toBeDefined();
  expect(error.code).toBe(Code.FORBIDDEN);
  expect(error.message).toContain('ROLE_FORBIDDEN');
  return error.message;
}

describe('roles on every call', () => {
  it('whoami answers the user and the role of site.yaml; a user without a role is a viewer', async () => {
    expect((await call(ada, 'access', 'whoami'))[0]).toMatchObject({ kind: 'web', user: 'ada', role: 'admin' });
    expect((await call(otto, 'access', 'whoami'))[0]).toMatchObject({ user: 'otto', role: 'operator' });
    expect((await call(vera, 'access', 'whoami'))[0]).toMatchObject({ user: 'vera', role: 'viewer' });
    expect((await call(nora, 'access', 'whoami'))[0]).toMatchObject({ user: 'nora', role: 'viewer' });
    expect((await roles.site.client('supervision').call('access', 'whoami', []))[0]).toMatchObject({
      kind: 'site',
      role: 'admin',
    });
  });

  it('a viewer reads, lists and listens, and cannot write, control processes or read the audit trail', async () => {
    expect((await call(vera, 'gateways', 'readValue', ['3/0/1']))[0]).toEqual(expect.any(Number));
    expect((await call(vera, 'gateways', 'listAddresses'))[0]).toHaveLength(1);
    expect((await call(vera, 'system', 'processes'))[0]).toHaveLength(2);
    await vera('supervision').require('gateways'); // requiring and subscribing are reads
    const message = await refused(vera, 'gateways', 'writeValue', ['3/0/1', 99]);
    expect(message).toContain('user "vera" has the role viewer; gateways.writeValue needs operator');
    expect(await refused(nora, 'gateways', 'writeValue', ['3/0/1', 99])).toContain('user "nora" has the role viewer');
    expect(await refused(vera, 'system', 'restart', ['driver_virtual_3'])).toContain('system.restart needs admin');
    expect(await refused(vera, 'audit', 'query', [{}])).toContain('audit.query needs admin');
    await expect(vera('supervision').require('audit')).rejects.toMatchObject({ code: Code.FORBIDDEN });
    expect((await call(roles.site.client, 'gateways', 'readValue', ['3/0/1']))[0]).toBe(20); // the refused write changed nothing
  });

  it('an operator writes, and cannot control processes or change the configuration', async () => {
    await call(otto, 'gateways', 'writeValue', ['3/0/1', 21.5]);
    expect((await call(otto, 'gateways', 'readValue', ['3/0/1']))[0]).toBe(21.5);
    expect(await refused(otto, 'system', 'stop', ['driver_virtual_3'])).toContain(
      'user "otto" has the role operator; system.stop needs admin',
    );
    expect(
      await refused(otto, 'gateways', 'insertAddress', [{ key: '3/0/2', gateway: 3, point: { type: 'number' } }]),
    ).toContain('gateways.insertAddress needs admin');
    expect(await refused(otto, 'system', 'configRestore', [1])).toContain('needs admin');
    expect((await roles.site.find('driver_virtual_3'))?.state).toBe('up');
  });

  it('an admin restarts a driver, and cannot stop the web server its own session goes through', async () => {
    const before = (await roles.site.find('driver_virtual_3'))!.pid;
    await call(ada, 'system', 'restart', ['driver_virtual_3']);
    const after = await roles.site.until('the driver up again', async () => {
      const p = await roles.site.find('driver_virtual_3');
      return p?.state === 'up' ? p : undefined;
    });
    expect(after.pid).not.toBe(before);
    const error = await call(ada, 'system', 'stop', ['webserver']).then(
      () => undefined,
      (e: Error & { code?: string }) => e,
    );
    expect(error).toMatchObject({ code: 'SELF_STOP' });
    expect(error!.message).toMatch(/restart it instead, or stop it with `weble-supervisor stop webserver`/);
    expect((await roles.site.find('webserver'))?.state).toBe('up');
    const [lines] = (await call(ada, 'system', 'dependents', ['driver_virtual_3'])) as [string[]];
    expect(lines[0]).toBe('gateway 3 (plant) goes offline: its 1 address stop updating and refuse writes');
    const [web] = (await call(vera, 'system', 'dependents', ['webserver'])) as [string[]];
    expect(web[0]).toMatch(/^the web UI and \d+ web sessions connected now \(yours included\)/);
  });

  it('methods outside the table are refused by default, and only the web server reports logins', async () => {
    expect(await refused(ada, 'audit', 'reportLogin', [{ username: 'ada', address: '1.2.3.4', ok: true }])).toContain(
      'audit.reportLogin is for the webserver peer only',
    );
    expect(
      await refused(roles.site.client, 'audit', 'reportLogin', [{ username: 'x', address: 'y', ok: false }]),
    ).toContain('for the webserver peer only');
    const error = await call(ada, 'gateways', 'setState', ['3', 'failed']).then(
      () => undefined,
      (e: Error & { code?: string }) => e,
    );
    expect(error?.message).toContain("gateways.setState is not in the site's policy table");
  });
});
