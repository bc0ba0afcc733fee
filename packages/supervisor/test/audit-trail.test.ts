/**
 * The audit trail of a real site (docs/roles.md, "Audit trail"): writes with the value before and
 * after, refused writes, process control, configuration changes, logins and refused passwords
 * reported by the web server, all queried through `audit.query` and `audit.exportCsv`; the file
 * refuses updates and deletes; a read-only directory is a clear status, never a crash of the hub.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Peers } from '@weble/peers-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRoleSite, type RoleSite } from './fixtures/role-site.js';

interface Entry {
  user: string;
  peer: string;
  role: string | null;
  action: string;
  target: string;
  detail?: unknown;
  result: string;
  message?: string;
}

let roles: RoleSite;
let ada: Peers;

beforeAll(async () => {
  roles = await startRoleSite();
  ada = await roles.webPeer('ada');
}, 60_000);

afterAll(async () => {
  await roles?.close();
});

const query = async (filter: object = {}): Promise<Entry[]> =>
  (await ada('supervision').call('audit', 'query', [filter]))[0] as Entry[];

/** The entries matching `filter` once `count` of them are there (the trail is written as calls answer). */
async function entriesOf(filter: object, count: number): Promise<Entry[]> {
  return roles.site.until(`${count} audit entries for ${JSON.stringify(filter)}`, async () => {
    const list = await query(filter);
    return list.length >= count ? list : undefined;
  });
}

describe('the audit trail', () => {
  it('records writes, refused writes, process control, configuration changes and logins, and exports them as CSV', async () => {
    const otto = await roles.webPeer('otto');
    const vera = await roles.webPeer('vera');
    await otto('supervision').call('gateways', 'writeValue', ['setpoint', 22]);
    await vera('supervision')
      .call('gateways', 'writeValue', ['3/0/1', 5])
      .catch(() => undefined);
    await otto('supervision')
      .call('gateways', 'writeValue', ['3/0/9', 1])
      .catch(() => undefined);
    await ada('supervision').call('system', 'restart', ['driver_virtual_3']);
    await ada('supervision').call('gateways', 'insertAddress', [
      { key: '3/0/2', gateway: 3, point: { type: 'boolean' } },
    ]);
    expect((await roles.login('otto', 'wrong')).status).toBe(401);

    const writes = await entriesOf({ action: 'write' }, 3);
    expect(writes.map(({ user, role, target, detail, result }) => ({ user, role, target, detail, result }))).toEqual([
      {
        user: 'otto',
        role: 'operator',
        target: '3/0/9',
        detail: { previous: null, value: 1 },
        result: 'UNKNOWN_ADDRESS',
      },
      { user: 'vera', role: 'viewer', target: 'gateways.writeValue', detail: undefined, result: 'ROLE_FORBIDDEN' },
      { user: 'otto', role: 'operator', target: '3/0/1', detail: { previous: 20, value: 22 }, result: 'ok' },
    ]);
    expect(writes[0]!.peer).toMatch(/^web_otto_[0-9a-f]{12}$/);
    expect(writes[1]!.message).toContain('user "vera" has the role viewer; gateways.writeValue needs operator');
    expect(await entriesOf({ action: 'process' }, 1)).toMatchObject([
      { user: 'ada', role: 'admin', target: 'driver_virtual_3', result: 'ok' },
    ]);
    expect(await entriesOf({ action: 'config' }, 1)).toMatchObject([
      { user: 'ada', target: 'gateways.insertAddress', detail: { key: '3/0/2' }, result: 'ok' },
    ]);
    const logins = await entriesOf({ action: 'login' }, 4);
    expect(logins[0]).toMatchObject({ user: 'otto', peer: '127.0.0.1', target: 'otto', result: 'failed' });
    expect(
      logins
        .filter((e) => e.result === 'ok')
        .map((e) => e.user)
        .sort(),
    ).toEqual(['ada', 'otto', 'vera']);
    expect(await entriesOf({ user: 'vera' }, 2)).toHaveLength(2);

    const [csv] = (await ada('supervision').call('audit', 'exportCsv', [{ action: 'write' }])) as [string];
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe('time,user,role,peer,action,target,result,detail,message');
    expect(lines[3]).toMatch(
      /^\d{4}-\d\d-\d\dT[\d:.]+Z,otto,operator,web_otto_[0-9a-f]{12},write,3\/0\/1,ok,"\{""previous"":20,""value"":22\}",$/,
    );
  });

  it('answers a bad filter with AUDIT_BAD_REQUEST naming the key', async () => {
    await expect(query({ action: 'delete-everything' })).rejects.toMatchObject({
      code: 'AUDIT_BAD_REQUEST',
      message: expect.stringContaining('filter.action'),
    });
    await expect(query({ from: 'yesterday' })).rejects.toMatchObject({
      code: 'AUDIT_BAD_REQUEST',
      message: expect.stringContaining('filter.from'),
    });
  });

  it('is append-only on disk: SQLite itself refuses updates and deletes', () => {
    const db = new Database(join(roles.site.dir, 'run', 'audit', 'audit.sqlite'));
    try {
      expect(() => db.prepare('DELETE FROM audit').run()).toThrow('the audit trail is append-only');
      expect(() => db.prepare("UPDATE audit SET user = 'nobody'").run()).toThrow('the audit trail is append-only');
    } finally {
      db.close();
    }
  });
});

describe('an audit directory that cannot be written', () => {
  let ro: RoleSite;
  let mounted: string | undefined;
  afterAll(async () => {
    if (mounted) execFileSync('umount', ['-l', mounted]);
    await ro?.close();
  });

  it('is a clear status and error while the site keeps working, and the entries are written once it can be', async () => {
    ro = await startRoleSite('', (dir) => {
      const auditDir = join(dir, 'run', 'audit');
      mkdirSync(auditDir, { recursive: true });
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m,ro', 'tmpfs', auditDir]);
      mounted = auditDir;
    });
    const admin = await ro.webPeer('ada');
    await admin('supervision').call('gateways', 'writeValue', ['3/0/1', 30]);
    const [status] = (await admin('supervision').call('audit', 'status', [])) as [
      { state: string; pending: number; detail: string },
    ];
    expect(status).toMatchObject({ state: 'failing', pending: 2 }); // the login and the write wait in memory
    expect(status.detail).toMatch(/SQLITE_CANTOPEN|EROFS|read-only/i);
    await expect(admin('supervision').call('audit', 'query', [{}])).rejects.toMatchObject({
      code: 'AUDIT_STORE_DOWN',
      message: expect.stringContaining('audit.sqlite'),
    });
    expect((await admin('supervision').call('gateways', 'readValue', ['3/0/1']))[0]).toBe(30);
    execFileSync('mount', ['-o', 'remount,rw', mounted!]);
    const entries = await ro.site.until('the waiting entries written', async () => {
      const list = await admin('supervision')
        .call('audit', 'query', [{}])
        .then(
          ([l]) => l as Entry[],
          () => undefined,
        );
      return list && list.length >= 2 ? list : undefined;
    });
    expect(entries.map((e) => e.action)).toEqual(['write', 'login']);
  });
});

describe('a full disk under the audit trail', () => {
  let full: RoleSite;
  let mounted: string | undefined;
  afterAll(async () => {
    if (mounted) execFileSync('umount', ['-l', mounted]);
    await full?.close();
  });

  it('is a clear status while the site keeps working, and the entries are written once there is room', async () => {
    full = await startRoleSite('', (dir) => {
      const auditDir = join(dir, 'run', 'audit');
      mkdirSync(auditDir, { recursive: true });
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=512k', 'tmpfs', auditDir]);
      mounted = auditDir;
    });
    const admin = await full.webPeer('ada');
    await entriesOfSite(admin, 1); // the login: the file exists and works
    // Fill the file system to the last byte (dd stops at ENOSPC).
    try {
      execFileSync('dd', ['if=/dev/zero', `of=${join(mounted!, 'filler')}`, 'bs=4k']);
    } catch {
      // "No space left on device": the point
    }
    const status = await full.site.until('the trail failing on the full disk', async () => {
      await admin('supervision').call('gateways', 'writeValue', ['3/0/1', 40 + Math.random()]);
      const [s] = (await admin('supervision').call('audit', 'status', [])) as [
        { state: string; pending: number; detail?: string },
      ];
      return s.state === 'failing' ? s : undefined;
    });
    expect(status.detail).toMatch(/SQLITE_FULL|full|ENOSPC/i);
    expect((await admin('supervision').call('gateways', 'readValue', ['3/0/1']))[0]).toEqual(expect.any(Number));
    execFileSync('rm', [join(mounted!, 'filler')]);
    await admin('supervision').call('gateways', 'writeValue', ['3/0/1', 50]);
    const [after] = (await admin('supervision').call('audit', 'status', [])) as [{ state: string; pending: number }];
    expect(after).toMatchObject({ state: 'ok', pending: 0 });
    const [writes] = (await admin('supervision').call('audit', 'query', [{ action: 'write' }])) as [Entry[]];
    expect(writes[0]).toMatchObject({ target: '3/0/1', detail: { value: 50 }, result: 'ok' });
    expect(writes.length).toBeGreaterThanOrEqual(status.pending + 1);
  });
});

async function entriesOfSite(p: Peers, count: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const [list] = (await p('supervision').call('audit', 'query', [{}])) as [Entry[]];
    if (list.length >= count) return;
    await new Promise((r) => setTimeout(r, 25)); // poll interval, not a synchronisation sleep
  }
  throw new Error(`fewer than ${count} audit entries`);
}
