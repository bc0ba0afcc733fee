/**
 * The `loggers` module of a real site (the built `weble-supervisor start`, a virtual gateway, the
 * store process with its database on disk): lifecycle methods and their events as a peer receives
 * them, values logged through the gateway and read back, a year of minute samples down to 1,000
 * points with the spike kept, CSV, and the bad-input errors.
 */
import { join } from 'node:path';
import type { Peers } from '@weble/peers-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoggerEvents, type HistorySeries } from '../../src/loggers/contract.js';
import { startSite, type RunningSite } from '../fixtures/running-site.js';
import { seedHistory } from './history-fixture.js';

type Fn = (...args: unknown[]) => Promise<unknown>;
interface Loggers {
  listLoggers: Fn;
  getLogger: Fn;
  insertLogger: Fn;
  updateLogger: Fn;
  deleteLogger: Fn;
  history: Fn;
  exportCsv: Fn;
  status: Fn;
  on(event: string, listener: (...args: unknown[]) => void): void;
  removeListener(event: string, listener: (...args: unknown[]) => void): void;
}

const MINUTE = 60_000;
const YEAR_START = Date.UTC(2025, 0, 1);
const YEAR_ROWS = 525_600;
const SPIKE_AT = 300_000;

let site: RunningSite;
let loggers: Loggers;
let gateways: { writeValue: Fn };

beforeAll(async () => {
  site = await startSite(
    `hub: { socket: ./run/s.sock }
gateways:
  - { id: 1, type: virtual, name: plant, config: {} }
addresses:
  - { key: "1/0/1", gateway: 1, name: supply, point: { type: number } }
  - { key: "1/0/2", gateway: 1, name: boiler/return, point: { type: number } }
  - { key: "1/0/3", gateway: 1, name: boiler/flow, point: { type: number } }
  - { key: "9/9/9", gateway: 1, name: archive, point: { type: number } }
loggers:
  - { name: trend, addresses: ["1/0/1", "boiler/*"] }
  - { name: year, addresses: [archive], onChange: false, sampleMs: 3600000, retention: { days: 3650 } }
`,
    (dir) =>
      seedHistory(dir, 'year', '9/9/9', YEAR_START, MINUTE, YEAR_ROWS, (i) =>
        i === SPIKE_AT ? 1000 : Math.sin(i / 500) * 10,
      ),
  );
  const peer = (site.client as Peers)('supervision');
  loggers = (await peer.require('loggers')) as unknown as Loggers;
  gateways = (await peer.require('gateways')) as unknown as { writeValue: Fn };
  await site.until('store and driver up', async () => {
    const list = await site.processes();
    return ['loggers_store', 'driver_virtual_1'].every((n) => list.find((p) => p.name === n)?.state === 'up')
      ? true
      : undefined;
  });
}, 90_000);

afterAll(async () => {
  await site?.close();
});

/** Wait for `event` on the loggers module while `act` runs. */
async function eventDuring(event: string, act: () => Promise<unknown>): Promise<unknown[]> {
  let listener!: (...args: unknown[]) => void;
  const seen = new Promise<unknown[]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within 5 s`)), 5_000);
    listener = (...args) => {
      clearTimeout(timer);
      resolve(args);
    };
  });
  loggers.on(event, listener);
  await loggers.listLoggers(); // the interest is in place once this is answered
  await act();
  const args = await seen;
  loggers.removeListener(event, listener);
  return args;
}

describe('loggers on a running site', () => {
  it('lists the loggers of site.yaml with the keys their patterns select', async () => {
    const list = (await loggers.listLoggers()) as Array<{ name: string; keys: string[] }>;
    expect(list.map((l) => l.name)).toEqual(['trend', 'year']);
    expect(list[0]!.keys.sort()).toEqual(['1/0/1', '1/0/2', '1/0/3']);
    expect(await loggers.getLogger('trend')).toMatchObject({ onChange: {}, retention: { days: 365 }, enabled: true });
  });

  it('inserts, updates and deletes at run time, and a peer receives loggerInserted/Updated/Deleted', async () => {
    const [inserted] = await eventDuring(LoggerEvents.inserted, () =>
      loggers.insertLogger({ name: 'extra', addresses: ['supply'], retention: { days: 7 } }),
    );
    expect(inserted).toMatchObject({ name: 'extra', keys: ['1/0/1'] });
    const [updated] = await eventDuring(LoggerEvents.updated, () =>
      loggers.updateLogger({ name: 'extra', addresses: ['supply'], onChange: { deadband: 5 } }),
    );
    expect(updated).toMatchObject({ name: 'extra', onChange: { deadband: 5 } });
    const [deleted] = await eventDuring(LoggerEvents.deleted, () => loggers.deleteLogger('extra'));
    expect(deleted).toMatchObject({ name: 'extra' });
    await expect(loggers.getLogger('extra')).rejects.toMatchObject({ code: 'LOGGERS_UNKNOWN_LOGGER' });
  });

  it('logs values written through the gateway and answers them as history and CSV', async () => {
    // The hub hears the driver's values once its listeners are in place (just after the driver is up).
    await gateways.writeValue('1/0/1', 0);
    await site.until('the hub has the value', async () =>
      (await (site.client as Peers)('supervision').call('gateways', 'getLastValue', ['1/0/1']))[0] === 0
        ? true
        : undefined,
    );
    const from = Date.now();
    for (const v of [1, 2, 3, 4, 5]) await gateways.writeValue('1/0/1', v);
    const series = await site.until('five values stored', async () => {
      const s = (await loggers.history('supply', { from, maxPoints: 100 })) as HistorySeries;
      return s.points.length >= 5 ? s : undefined;
    });
    expect(series.key).toBe('1/0/1');
    expect(series.points.map((p) => p[1])).toEqual([1, 2, 3, 4, 5]);
    expect(series.points.every((p) => p[2] === 'good')).toBe(true);
    const csv = (await loggers.exportCsv(['supply'], { from })) as string;
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe('time,key,value,quality');
    expect(lines.slice(1).map((l) => l.split(',').slice(1).join(','))).toEqual([
      '1/0/1,1,good',
      '1/0/1,2,good',
      '1/0/1,3,good',
      '1/0/1,4,good',
      '1/0/1,5,good',
    ]);
  });

  it('downsamples a year of minute samples to 1,000 points and keeps the spike', async () => {
    const to = YEAR_START + YEAR_ROWS * MINUTE;
    const series = (await loggers.history('archive', {
      from: YEAR_START,
      to,
      maxPoints: 1000,
      aggregate: 'minmax',
    })) as HistorySeries;
    expect(series.points.length).toBeGreaterThan(500);
    expect(series.points.length).toBeLessThanOrEqual(1000);
    expect(Math.max(...series.points.map((p) => p[1] as number))).toBe(1000);
    expect(series.points.find((p) => p[1] === 1000)![0]).toBe(YEAR_START + SPIKE_AT * MINUTE);
    const raw = (await loggers.history('archive', { from: YEAR_START, to, maxPoints: 1000 })) as HistorySeries;
    expect(raw.points.length).toBeLessThanOrEqual(1000);
    expect(Math.max(...raw.points.map((p) => p[1] as number))).toBe(1000);
    const avg = (await loggers.history('archive', {
      from: YEAR_START,
      to,
      maxPoints: 365,
      aggregate: 'avg',
    })) as HistorySeries;
    expect(avg.points.length).toBeLessThanOrEqual(365);
    expect(Math.abs(avg.points[0]![1] as number)).toBeLessThan(10);
  });

  it('refuses bad input with coded errors that say what and where', async () => {
    await expect(loggers.history('nope/*', {})).rejects.toMatchObject({
      code: 'LOGGERS_UNKNOWN_ADDRESS',
      message: expect.stringContaining('"nope/*"'),
    });
    await expect(loggers.insertLogger({ name: 'x', addresses: ['ghost'] })).rejects.toMatchObject({
      code: 'LOGGERS_UNKNOWN_ADDRESS',
      message: expect.stringContaining('logger.addresses[0] "ghost"'),
    });
    await expect(
      loggers.insertLogger({ name: 'x', addresses: ['supply'], retention: { days: -1 } }),
    ).rejects.toMatchObject({
      code: 'LOGGERS_BAD_REQUEST',
      message: expect.stringContaining('logger.retention.days'),
    });
    await expect(loggers.history('supply', { from: 2000, to: 1000 })).rejects.toMatchObject({
      code: 'LOGGERS_BAD_REQUEST',
      message: expect.stringContaining('options.from'),
    });
    await expect(
      loggers.history('archive', { from: YEAR_START, to: YEAR_START + YEAR_ROWS * MINUTE }),
    ).rejects.toMatchObject({
      code: 'LOGGERS_RANGE_TOO_LARGE',
      message: expect.stringContaining('"9/9/9"'),
    });
    await expect(loggers.insertLogger({ name: 'trend', addresses: ['supply'] })).rejects.toMatchObject({
      code: 'LOGGERS_LOGGER_EXISTS',
    });
  });

  it('keeps the database in the site directory and reports it in status', async () => {
    const status = (await loggers.status()) as { state: string; file: string; rows: number };
    expect(status.state).toBe('ok');
    expect(status.file).toBe(join(site.dir, 'run', 'history', 'history.sqlite'));
    expect(status.rows).toBeGreaterThanOrEqual(YEAR_ROWS);
  });
});
