/**
 * Value quality end to end (issue 15): a real site (the built `weble-supervisor start`) with a
 * Modbus TCP gateway on a pymodbus server and a virtual gateway. Values are `good`; stopping the
 * pymodbus server, or SIGKILLing a driver, turns the gateway's addresses `stale` at once (a
 * `valueQuality <key>` event with the reason) and they are `good` again with the next value. Seed
 * listeners still get `(address, value, value_string, value_date)` first, the quality after them;
 * `getLastValue`, `listAddresses` and the history carry it too.
 */
import type { Peers } from '@weble/peers-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSite, type RunningSite } from '../../packages/supervisor/test/fixtures/running-site.js';
import { startSimulator, type Simulator } from '../../drivers/modbus/test/support/simulator.js';

type Fn = (...args: unknown[]) => Promise<unknown>;
interface Module {
  on(event: string, listener: (...args: unknown[]) => void): void;
  removeListener(event: string, listener: (...args: unknown[]) => void): void;
  [method: string]: unknown;
}

let site: RunningSite;
let server: Simulator;
let gateways: Module;
let loggers: Module;

beforeAll(async () => {
  server = await startSimulator({ transport: 'tcp' });
  await server.set(1, 'input', 3, [215]);
  site = await startSite(`
hub: { socket: ./run/s.sock }
supervision: { restart: { initialMs: 50, maxMs: 200 } }
gateways:
  - { id: 1, type: modbus, name: plc, config: { transport: tcp, host: 127.0.0.1, port: ${server.port}, pollMs: 50, timeoutMs: 300 } }
  - { id: 2, type: virtual, name: memory, config: {} }
addresses:
  - { key: "plc/temp", gateway: 1, name: temp, point: { table: input, address: 3, type: int16, scale: 0.1 } }
  - { key: "v/1", gateway: 2, point: { type: number, initial: 5 } }
loggers:
  - { name: all, addresses: ["plc/*", "v/*"] }
`);
  await site.until(
    'drivers up',
    async () => {
      const list = await site.processes();
      return ['driver_modbus_1', 'driver_virtual_2', 'loggers_store'].every(
        (n) => list.find((p) => p.name === n)?.state === 'up',
      )
        ? true
        : undefined;
    },
    20_000,
  );
  const hub = (site.client as Peers)('supervision');
  gateways = (await hub.require('gateways')) as unknown as Module;
  loggers = (await hub.require('loggers')) as unknown as Module;
}, 60_000);

afterAll(async () => {
  await site?.close();
  await server?.kill();
});

const call = (module: Module, method: string, ...args: unknown[]): Promise<unknown> => (module[method] as Fn)(...args);

/** The next `valueQuality <id>` with `quality`, while `act` runs. */
async function qualityDuring(id: string, quality: string, act: () => Promise<unknown>): Promise<unknown[]> {
  let listener!: (...args: unknown[]) => void;
  const seen = new Promise<unknown[]>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no valueQuality ${id} ${quality} within 15 s\n${site.output().slice(-1500)}`)),
      15_000,
    );
    listener = (...args) => {
      if (args[1] !== quality) return;
      clearTimeout(timer);
      resolve(args);
    };
  });
  gateways.on(`valueQuality ${id}`, listener);
  await call(gateways, 'listGateways'); // the interest is in place once this is answered
  await act();
  try {
    return await seen;
  } finally {
    gateways.removeListener(`valueQuality ${id}`, listener);
  }
}

describe('value quality', () => {
  it('is good for fresh values, after the four seed arguments and in getLastValue', async () => {
    const last = await site.until('plc/temp read', async () => {
      const [value, date, quality] = await (site.client as Peers)('supervision').call('gateways', 'getLastValue', [
        'temp',
      ]);
      return value === 21.5 ? { value, date, quality } : undefined;
    });
    expect(last.quality).toBe('good');
    expect(last.date).toBeInstanceOf(Date);
    const args = new Promise<unknown[]>((resolve) => {
      const onValue = (...a: unknown[]): void => {
        gateways.removeListener('newValue temp', onValue);
        resolve(a);
      };
      gateways.on('newValue temp', onValue);
    });
    await call(gateways, 'listGateways');
    await server.set(1, 'input', 3, [220]);
    expect(await args).toEqual(['plc/temp', 22, '22', expect.any(Date), 'good']);
  });

  it('turns stale at once when the Modbus device stops, and good with its next value', async () => {
    const port = server.port;
    const [key, , reason] = await qualityDuring('temp', 'stale', () => server.kill());
    expect(key).toBe('plc/temp');
    expect(reason).toMatch(/^gateway 1 \(plc\) (offline|connecting)/);
    const [, date, quality] = await (site.client as Peers)('supervision').call('gateways', 'getLastValue', [
      'plc/temp',
    ]);
    expect(quality).toBe('stale');
    expect(date).toBeInstanceOf(Date);
    const listed = (
      (await call(gateways, 'listAddresses')) as Array<{ key: string; last: { quality: string; reason: string } }>
    ).find((a) => a.key === 'plc/temp');
    expect(listed?.last).toMatchObject({
      value: 22,
      quality: 'stale',
      reason: expect.stringContaining('gateway 1 (plc)'),
    });

    // The same register value as before: it is reported again, and good.
    await qualityDuring('plc/temp', 'good', async () => {
      server = await startSimulator({ transport: 'tcp', port });
      await server.set(1, 'input', 3, [220]);
    });
    expect((await (site.client as Peers)('supervision').call('gateways', 'getLastValue', ['plc/temp']))[2]).toBe(
      'good',
    );
  });

  it('turns stale when a driver is SIGKILLed, and good when it is back', async () => {
    const before = (await site.find('driver_virtual_2'))!;
    const [, , reason] = await qualityDuring('v/1', 'stale', async () => process.kill(before.pid!, 'SIGKILL'));
    expect(reason).toMatch(/^gateway 2 \(memory\) offline: driver process/);
    await qualityDuring('v/1', 'good', () =>
      site
        .until('driver back', async () =>
          (await site.find('driver_virtual_2'))?.pid !== before.pid ? true : undefined,
        )
        .then(() => undefined),
    );
  });

  it('keeps the quality in history', async () => {
    // The logger writes in batches to its store process: the last `good` may not be there yet
    // when the event that announced it has arrived, so wait for it (a history without qualities,
    // or without the stale value, never gets there).
    const qualities = await site.until('the history has stale then good', async () => {
      const series = (await call(loggers, 'history', 'plc/temp', { from: Date.now() - 120_000 })) as {
        points: Array<[number, unknown, string]>;
      };
      const seen = series.points.map((p) => p[2]);
      return seen.includes('stale') && seen.lastIndexOf('good') > seen.indexOf('stale') ? seen : undefined;
    });
    expect(qualities).toContain('stale');
    expect(qualities.lastIndexOf('good')).toBeGreaterThan(qualities.indexOf('stale'));
  });
});
