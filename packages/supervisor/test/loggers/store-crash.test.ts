/**
 * Nothing lost: a real site logs about 1,000 values/s (ten simulated addresses polled every
 * 10 ms) while the store process, the database's only writer, is SIGKILLed again and again at
 * whatever moment it is in. Afterwards `PRAGMA integrity_check` is ok and every value the hub
 * announced (`newValue`, seen by this test's peer) is in the file exactly once, at exactly the
 * time the documented rule gives: batches that were not confirmed are resent by the hub, and a
 * resent batch is never stored twice. The driver is stopped at the end: the hub marks its
 * addresses stale at once (a `stale` row each, at the hub's time) while the last values the driver
 * read may still be on their way; those keep their own times (once, such values were moved after
 * the stale row, up to the hub's lag later: the "4 ms off" seen under a loaded suite).
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Peers } from '@weble/peers-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSite, type RunningSite } from '../fixtures/running-site.js';
import type { RemoteSystem } from '@weble/api';

const KEYS = Array.from({ length: 10 }, (_, i) => `5/0/${i}`);
const KILLS = 6;

let site: RunningSite;
/** The values announced per key (source time ms, value), in order. */
const announced = new Map<string, Array<[number, number]>>(KEYS.map((k) => [k, []]));
const listeners: Array<[string, (...args: unknown[]) => void]> = [];

beforeAll(async () => {
  const addresses = KEYS.map(
    (key, i) =>
      `  - { key: "${key}", gateway: 1, point: { type: number, simulate: { kind: sine, min: 0, max: 100, periodMs: ${7000 + i * 101} } } }`,
  ).join('\n');
  site = await startSite(`hub: { socket: ./run/s.sock }
supervision: { restart: { initialMs: 20, maxMs: 200, maxRestarts: 1000 } }
gateways:
  - { id: 1, type: virtual, config: { tickMs: 10 } }
addresses:
${addresses}
loggers:
  - { name: fast, addresses: ["5/0/*"] }
`);
  await site.until('store up', async () => ((await site.find('loggers_store'))?.state === 'up' ? true : undefined));
}, 60_000);

afterAll(async () => {
  for (const [event, fn] of listeners) (site.client as Peers)('supervision').removeListener(event, fn);
  await site?.close();
});

describe('SIGKILL of the store while logging 1,000 values/s', () => {
  it('keeps the file sound and stores every announced value exactly once', async () => {
    const hub = (site.client as Peers)('supervision');
    for (const key of KEYS) {
      const values = announced.get(key)!;
      const fn = (_key: unknown, value: unknown, _text: unknown, date: unknown): void =>
        void values.push([(date as Date).getTime(), value as number]);
      hub.on(`newValue ${key}`, fn);
      listeners.push([`newValue ${key}`, fn]);
    }
    const totalNow = (): number => [...announced.values()].reduce((a, b) => a + b.length, 0);
    const started = Date.now();
    for (let i = 0; i < KILLS; i++) {
      const before = (await site.find('loggers_store'))!;
      // Let it log a few hundred values between two kills.
      const mark = totalNow();
      await site.until('values flowing', async () => (totalNow() - mark >= 300 ? true : undefined));
      process.kill(before.pid!, 'SIGKILL');
      await site.until('store back', async () => {
        const p = await site.find('loggers_store');
        return p?.state === 'up' && p.pid !== before.pid ? p : undefined;
      });
    }
    const seconds = (Date.now() - started) / 1000;
    const system = (await hub.require('system')) as unknown as RemoteSystem;
    await system.stop('driver_virtual_1');
    expect(totalNow() / seconds).toBeGreaterThan(500); // the rate this test claims (about 1,000/s)

    // Values logged before this test's listeners were in place are not counted: from the first
    // announced value of each key on, the file must hold exactly the announced ones.
    const sql =
      'SELECT ts, value, quality FROM samples JOIN series s ON s.id = samples.series WHERE s.key = ? ORDER BY ts';
    const rowsOf = (db: Database.Database, key: string): number[][] => db.prepare(sql).raw().all(key) as number[][];
    const good = (rows: number[][], from: number): number[][] =>
      rows.filter((r) => r[2] === 0 && r[0]! >= from).map((r) => [r[0]!, r[1]!]);
    const file = join(site.dir, 'run', 'history', 'history.sqlite');
    // Every announced value reaches the file once the hub has resent what the kills cut off.
    await site.until(
      'all values stored',
      async () => {
        const db = new Database(file, { readonly: true });
        try {
          return KEYS.every(
            (key) => good(rowsOf(db, key), announced.get(key)![0]![0]).length >= announced.get(key)!.length,
          )
            ? true
            : undefined;
        } finally {
          db.close();
        }
      },
      20_000,
    );
    site.supervisor.kill('SIGTERM');
    await new Promise((resolve) => site.supervisor.once('exit', resolve));

    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      for (const key of KEYS) {
        const values = announced.get(key)!;
        const rows = rowsOf(db, key);
        // The rule (docs/loggers.md): one sample per millisecond and address; a value whose
        // millisecond is taken goes to the next free one. The first announced value's row is looked
        // up (values before it, unseen here, may have taken its millisecond); the stored non-good
        // rows and the good rows before it hold their milliseconds; every later time follows.
        const [t0, v0] = values[0]!;
        const first = rows.find((r) => r[2] === 0 && r[0]! >= t0 && r[1] === v0)?.[0];
        expect(first, `${key}: the first announced value ${v0} at ${t0} is stored`).toBeDefined();
        const used = new Set(rows.filter((r) => r[2] !== 0 || (r[0]! >= t0 && r[0]! <= first!)).map((r) => r[0]!));
        const expected = values.map(([t, value], i) => {
          if (i === 0) return [first!, value];
          let at = t;
          while (used.has(at)) at++;
          used.add(at);
          return [at, value];
        });
        // Exactly once each, at exactly its time, with its value.
        expect(good(rows, first!)).toEqual(expected);
      }
    } finally {
      db.close();
    }
  }, 90_000);
});
