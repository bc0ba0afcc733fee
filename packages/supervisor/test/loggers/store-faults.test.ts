/**
 * The store's bad days on real sites: a corrupt database at start is moved aside and a fresh one
 * started (the rest of the site unaffected); a read-only history directory (a read-only tmpfs
 * mount) pauses logging with `loggerStatus` while gateways keep answering, and logging resumes by
 * itself, with the values of the pause, once the directory is writable; old history is deleted
 * by retention in bounded steps.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Peers } from '@weble/peers-core';
import { afterEach, describe, expect, it } from 'vitest';
import { LoggerEvents, type HistorySeries, type StoreStatus } from '../../src/loggers/contract.js';
import { startSite, type RunningSite } from '../fixtures/running-site.js';
import { seedHistory } from './history-fixture.js';
import type { RemoteGateways, RemoteSystem } from '@weble/api';

type Fn = (...args: unknown[]) => Promise<unknown>;
interface Loggers {
  history: Fn;
  status(): Promise<StoreStatus>;
  listLoggers: Fn;
  on(event: string, listener: (...args: unknown[]) => void): void;
  removeListener(event: string, listener: (...args: unknown[]) => void): void;
}

const SITE = (extra = ''): string => `hub: { socket: ./run/s.sock }
history: { retryMs: 100${extra} }
gateways:
  - { id: 1, type: virtual, config: {} }
addresses:
  - { key: "1/0/1", gateway: 1, name: supply, point: { type: number } }
loggers:
  - { name: trend, addresses: [supply], retention: { days: 30 } }
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

async function connect(s: RunningSite): Promise<{ loggers: Loggers; gateways: RemoteGateways }> {
  const hub = (s.client as Peers)('supervision');
  const loggers = (await hub.require('loggers')) as unknown as Loggers;
  const gateways = (await hub.require('gateways')) as unknown as RemoteGateways;
  await s.until('driver up', async () => ((await s.find('driver_virtual_1'))?.state === 'up' ? true : undefined));
  await s.until('store up', async () => ((await s.find('loggers_store'))?.state === 'up' ? true : undefined));
  return { loggers, gateways };
}

/** The store's own log (its process log, through `system.logTail`). */
async function storeLog(s: RunningSite): Promise<string> {
  const system = (await (s.client as Peers)('supervision').require('system')) as unknown as RemoteSystem;
  return (await system.logTail('loggers_store', 200)).join('\n');
}

/** Resolve with the first `loggerStatus` whose state is `state`. */
function statusEvent(loggers: Loggers, state: StoreStatus['state']): Promise<StoreStatus> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no loggerStatus ${state} within 15 s`)), 15_000);
    const listener = (status: unknown): void => {
      if ((status as StoreStatus).state !== state) return;
      clearTimeout(timer);
      loggers.removeListener(LoggerEvents.status, listener);
      resolve(status as StoreStatus);
    };
    loggers.on(LoggerEvents.status, listener);
  });
}

describe('the history store when things go wrong', () => {
  it('moves a corrupt database aside at start, says so, and logs into a fresh one', async () => {
    site = await startSite(SITE(), (dir) => {
      mkdirSync(join(dir, 'run', 'history'), { recursive: true });
      writeFileSync(join(dir, 'run', 'history', 'history.sqlite'), 'this is not a database\n'.repeat(500));
    });
    const { loggers, gateways } = await connect(site);
    const status = await site.until('store up', async () => {
      const p = await site!.find('loggers_store');
      return p?.state === 'up' ? loggers.status() : undefined;
    });
    expect(status.state).toBe('ok');
    expect(status.movedAside).toMatch(/history\.sqlite\.corrupt-/);
    expect(readdirSync(join(site.dir, 'run', 'history')).some((f) => f.startsWith('history.sqlite.corrupt-'))).toBe(
      true,
    );
    expect(await storeLog(site)).toContain('was corrupt: moved to');
    const from = Date.now();
    await gateways.writeValue('supply', 42);
    // The hub hears the driver's values once its listeners are in place (just after the driver is up).
    await site.until('the hub has the value', async () =>
      (await gateways.getLastValue('supply')) === 42 ? true : undefined,
    );
    const series = await site.until('value stored', async () => {
      const s = (await loggers.history('supply', { from })) as HistorySeries;
      return s.points.length > 0 ? s : undefined;
    });
    expect(series.points.map((p) => p[1])).toEqual([42]);
  });

  it('pauses on a read-only directory with loggerStatus, keeps the site running, and resumes by itself', async () => {
    site = await startSite(SITE(), (dir) => {
      const history = join(dir, 'run', 'history');
      mkdirSync(history, { recursive: true });
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', history]);
      mounted = history;
      execFileSync('mount', ['-o', 'remount,ro', history]);
    });
    const { loggers, gateways } = await connect(site);
    const paused = await site.until('store paused', async () => {
      const p = await site!.find('loggers_store');
      if (p?.state !== 'up') return undefined;
      const status = await loggers.status();
      return status.state === 'paused' ? status : undefined;
    });
    expect(paused.detail).toMatch(/cannot write the history database .*history\.sqlite/);
    // The hub and the drivers carry on: writes and reads still work, and these values wait.
    // Wait until the hub hears the driver's values, then write three more.
    await gateways.writeValue('supply', 6);
    await site.until('the hub has the value', async () =>
      (await gateways.getLastValue('supply')) === 6 ? true : undefined,
    );
    const from = Date.now();
    for (const v of [7, 8, 9]) await gateways.writeValue('supply', v);
    await site.until('the hub has the values', async () =>
      (await gateways.getLastValue('supply')) === 9 ? true : undefined,
    );
    await expect(loggers.history('supply', { from })).rejects.toMatchObject({ code: 'LOGGERS_STORE_DOWN' });

    const resumed = statusEvent(loggers, 'ok');
    await loggers.listLoggers(); // the interest in loggerStatus is in place once this is answered
    execFileSync('mount', ['-o', 'remount,rw', mounted!]);
    expect((await resumed).file).toBe(join(mounted!, 'history.sqlite'));
    const series = await site.until('the values of the pause stored', async () => {
      const s = (await loggers.history('supply', { from })) as HistorySeries;
      return s.points.length >= 3 ? s : undefined;
    });
    expect(series.points.map((p) => p[1])).toEqual([7, 8, 9]);
  });

  it('deletes history past its retention in bounded steps', async () => {
    const old = Date.now() - 400 * 86_400_000;
    const recent = Date.now() - 86_400_000;
    site = await startSite(SITE(', retentionStepRows: 1000'), (dir) => {
      seedHistory(dir, 'trend', '1/0/1', old, 1000, 30_000, (i) => i);
      seedHistory(dir, 'trend', '1/0/1', recent, 1000, 100, (i) => i);
    });
    const { loggers } = await connect(site);
    const count = async (from: number, to: number): Promise<number> =>
      ((await loggers.history('supply', { from, to, aggregate: 'raw' })) as HistorySeries).points.length;
    await site.until(
      'old history deleted',
      async () => ((await count(old, old + 30_000_000)) === 0 ? true : undefined),
      20_000,
    );
    expect(await count(recent, recent + 100_000)).toBe(100);
    // 30 steps of at most 1,000 rows each, then the pass reports its total.
    expect(await storeLog(site)).toMatch(/"deleted":30000,"msg":"retention pass"/);
    expect(existsSync(join(site.dir, 'run', 'history', 'history.sqlite'))).toBe(true);
  });
});
