/**
 * The alarm history when the disk fails (issue 17), on a real site: a read-only history directory
 * (a read-only tmpfs mount) from the start, and a full one (a small tmpfs filled up) while it runs.
 * Either way the hub keeps raising, acknowledging and clearing alarms, `status()` and
 * `alarmStoreStatus` say the store is paused and why, `history` answers a coded error (read-only:
 * the file cannot be opened) or what it has (full: stored records and those waiting), and once the
 * disk is usable again the waiting records are written by themselves. Runs as root (mount).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Peers } from '@weble/peers-core';
import { afterEach, describe, expect, it } from 'vitest';
import { startSite, type RunningSite } from '../fixtures/running-site.js';

type Fn = (...args: unknown[]) => Promise<unknown>;
interface Alarms {
  on(event: string, listener: (...args: unknown[]) => void): void;
  removeListener(event: string, listener: (...args: unknown[]) => void): void;
  ack: Fn;
  history: Fn;
  status: Fn;
  listAlarms: Fn;
}
interface Status {
  state: string;
  file: string;
  detail?: string;
  pending: number;
}

const SITE = `hub: { socket: ./run/s.sock }
history: { retryMs: 200 }
gateways:
  - { id: 1, type: virtual, config: {} }
addresses:
  - { key: "1/0/1", gateway: 1, name: level, point: { type: number, initial: 10 } }
alarms:
  - { id: high_level, address: level, kind: high, limit: 50 }
`;

let site: RunningSite | undefined;
let mounted: string | undefined;

afterEach(async () => {
  if (site && site.supervisor.exitCode === null && site.supervisor.signalCode === null) {
    site.supervisor.kill('SIGTERM');
    await new Promise((resolve) => site!.supervisor.once('exit', resolve));
  }
  if (mounted) execFileSync('umount', [mounted]);
  mounted = undefined;
  await site?.close();
  site = undefined;
});

/** A tmpfs of `size` at the site's history directory. */
function mountHistory(dir: string, size: string): string {
  const history = join(dir, 'run', 'history');
  mkdirSync(history, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', history]);
  mounted = history;
  return history;
}

async function connect(s: RunningSite): Promise<Alarms> {
  await s.until('driver up', async () => ((await s.find('driver_virtual_1'))?.state === 'up' ? true : undefined));
  return (await (s.client as Peers)('supervision').require('alarms')) as unknown as Alarms;
}

const write = (s: RunningSite, value: number): Promise<unknown> =>
  (s.client as Peers)('supervision').call('gateways', 'writeValue', ['level', value]);

/** The first `alarmStoreStatus` in `state`, listening from now. */
async function statusEvent(alarms: Alarms, state: string): Promise<() => Promise<Status>> {
  let listener!: (status: unknown) => void;
  const seen = new Promise<Status>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no alarmStoreStatus ${state} within 15 s`)), 15_000);
    listener = (status) => {
      if ((status as Status).state !== state) return;
      clearTimeout(timer);
      alarms.removeListener('alarmStoreStatus', listener);
      resolve(status as Status);
    };
  });
  alarms.on('alarmStoreStatus', listener);
  await alarms.listAlarms(); // the interest is in place once this is answered
  return () => seen;
}

describe('the alarm history when the disk fails', () => {
  it('pauses on a read-only directory, keeps alarms working, answers a coded error, and resumes by itself', async () => {
    site = await startSite(SITE, (dir) => {
      const history = mountHistory(dir, '4m');
      execFileSync('mount', ['-o', 'remount,ro', history]);
    });
    const alarms = await connect(site);
    const paused = (await site.until('store paused', async () => {
      const status = (await alarms.status()) as Status;
      return status.state === 'paused' ? status : undefined;
    })) as Status;
    expect(paused.detail).toMatch(/cannot write the alarm history database .*alarms\.sqlite: .*\((SQLITE_|E)[A-Z_]+\)/);

    // The hub carries on: raise and acknowledge, kept in memory until the disk is back.
    await write(site, 70);
    await site.until('raised', async () =>
      ((await alarms.listAlarms()) as Array<{ state: string }>)[0]!.state === 'active-unacknowledged'
        ? true
        : undefined,
    );
    const record = (await alarms.ack('high_level', 'seen while the disk was read-only')) as { by: string };
    expect(record.by).toBe(`site_test_${process.pid}`);
    expect(((await alarms.status()) as Status).pending).toBe(2);
    await expect(alarms.history({})).rejects.toMatchObject({
      code: 'ALARMS_STORE_UNAVAILABLE',
      message: expect.stringContaining('alarms.sqlite) cannot be read: cannot write the alarm history database'),
    });

    const resumed = await statusEvent(alarms, 'ok');
    execFileSync('mount', ['-o', 'remount,rw', mounted!]);
    expect((await resumed()).file).toBe(join(mounted!, 'alarms.sqlite'));
    const stored = await site.until('records stored', async () => {
      const status = (await alarms.status()) as Status;
      return status.pending === 0 ? ((await alarms.history({})) as Array<{ event: string }>) : undefined;
    });
    expect(stored.map((r) => r.event)).toEqual(['acknowledged', 'raised']);
    expect(site.supervisor.exitCode).toBeNull();
  }, 60_000);

  it('pauses on a full disk, answers stored and waiting records, and writes them once there is room', async () => {
    let filler = '';
    site = await startSite(SITE, (dir) => {
      filler = join(mountHistory(dir, '1m'), 'filler');
    });
    const alarms = await connect(site);
    await site.until('store ok', async () => (((await alarms.status()) as Status).state === 'ok' ? true : undefined));
    await write(site, 70);
    await site.until('first record stored', async () =>
      ((await alarms.history({})) as unknown[]).length === 1 ? true : undefined,
    );

    // Fill the file system up (writes until ENOSPC, keeping what fitted).
    const chunk = Buffer.alloc(64 * 1024, 1);
    const parts: string[] = [];
    for (let i = 0; ; i++) {
      try {
        writeFileSync(`${filler}-${i}`, chunk);
        parts.push(`${filler}-${i}`);
      } catch {
        break;
      }
    }
    const paused = await statusEvent(alarms, 'paused');
    // Many transitions: more than the free pages left.
    for (const v of [10, 70, 10, 70, 10, 70, 10]) await write(site, v);
    const status = await paused();
    expect(status.detail).toMatch(/SQLITE_FULL|ENOSPC|disk is full|database or disk is full/);
    const seen = (await alarms.history({ event: 'raised' })) as unknown[];
    expect(seen.length).toBe(4);

    const resumed = await statusEvent(alarms, 'ok');
    for (const part of parts) rmSync(part);
    await resumed();
    await site.until('all stored', async () => (((await alarms.status()) as Status).pending === 0 ? true : undefined));
    expect(((await alarms.history({})) as unknown[]).length).toBe(8);
    expect(site.supervisor.exitCode).toBeNull();
  }, 60_000);
});
