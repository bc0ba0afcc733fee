/** Point metadata: the definition's `describe`, merged with what the device says (`ctx.describePoint`), listed and sent as `pointInfo`. */
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineDriver, type PollContext } from '../src/definition.js';
import { GatewayRuntime } from '../src/gateway-runtime.js';
import { mergePointInfo } from '../src/point-info.js';

describe('point metadata', () => {
  it('merges later sources field by field; undefined does not erase', () => {
    expect(mergePointInfo({ writable: true }, { writable: false, unit: '°C' }, { unit: undefined, min: 0 })).toEqual({
      writable: false,
      unit: '°C',
      min: 0,
    });
  });

  it('lists the config info with the device info over it, emits pointInfo, and refuses a write the device says is read-only', async () => {
    const events: unknown[][] = [];
    const written: unknown[] = [];
    let told!: () => void;
    const described = new Promise<void>((resolve) => (told = resolve));
    const definition = defineDriver({
      type: 'test',
      configSchema: z.unknown(),
      pointSchema: z.object({ ro: z.boolean() }),
      describe: (point) => ({ writable: !point.ro, ...(point.ro ? {} : { min: 0, max: 10 }) }),
      connect: async () => 1,
      read: () => 0,
      write: (_device, _point, value) => void written.push(value),
      poll: async (_device: number, ctx: PollContext<unknown, { ro: boolean }>) => {
        ctx.describePoint?.('b', { states: { 1: 'Off', 2: 'On' }, max: 2 });
        ctx.describePoint?.('c', { writable: false });
        ctx.describePoint?.('nope', { writable: false });
        told();
        await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve()));
      },
    });
    const runtime = new GatewayRuntime(
      definition,
      {
        gateway: { id: 1, type: 'test', config: {} },
        addresses: [
          { key: 'a', point: { ro: true } },
          { key: 'b', point: { ro: false } },
          { key: 'c', point: { ro: false } },
        ],
      },
      { log: pino({ level: 'silent' }), emit: (...args) => events.push(args), backoff: () => 1 },
    );
    runtime.start();
    await described;
    expect(runtime.addresses().map((a) => [a.key, a.info])).toEqual([
      ['a', { writable: false }],
      ['b', { writable: true, min: 0, max: 2, states: { 1: 'Off', 2: 'On' } }],
      ['c', { writable: false, min: 0, max: 10 }],
    ]);
    expect(events).toContainEqual([
      'pointInfo',
      'b',
      { writable: true, min: 0, max: 2, states: { 1: 'Off', 2: 'On' } },
    ]);
    expect(events.filter((e) => e[0] === 'pointInfo').map((e) => e[1])).toEqual(['b', 'c']);
    await expect(runtime.write('c', 1)).rejects.toMatchObject({
      code: 'DRIVER_READ_ONLY',
      message: 'write "c": the device says the point is read-only (gateway 1 (test))',
    });
    await runtime.write('b', 1);
    expect(written).toEqual([1]);
    await runtime.stop();
  });
});
