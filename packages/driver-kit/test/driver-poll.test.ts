import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineDriver, type PollContext } from '../src/definition.js';
import { DriverCode, DriverError } from '../src/errors.js';
import { GatewayRuntime } from '../src/gateway-runtime.js';

/** A driver that owns its polling (as Modbus and BACnet do to batch reads): the kit's side of the contract. */
function setUp(poll: (device: number, ctx: PollContext<unknown, unknown>) => Promise<void>) {
  const events: unknown[][] = [];
  let connects = 0;
  const perPointReads: string[] = [];
  const definition = defineDriver({
    type: 'test',
    configSchema: z.unknown(),
    pointSchema: z.unknown(),
    connect: async () => ++connects,
    read: (_device, _point, address) => {
      perPointReads.push(address.key);
      return 0;
    },
    write: () => undefined,
    pollMs: () => 10,
    poll,
  });
  const runtime = new GatewayRuntime(
    definition,
    {
      gateway: { id: 1, type: 'test', config: {} },
      addresses: [
        { key: 'a', point: {} },
        { key: 'b', point: {} },
      ],
    },
    { log: pino({ level: 'silent' }), emit: (...args) => events.push(args), backoff: () => 1 },
  );
  return { runtime, events, perPointReads, connects: () => connects };
}

function until(check: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const probe = (): void => (check() ? resolve() : void setImmediate(probe));
    probe();
  });
}

describe('a driver-owned poll', () => {
  it('replaces the per-point reads; values, cycles and failures are reported by the kit', async () => {
    let release!: () => void;
    const { runtime, events, perPointReads } = setUp(async (device, ctx) => {
      ctx.emitValue('a', device * 10);
      ctx.cycle();
      ctx.failed(['b'], new Error('exception 2'));
      ctx.failed(['b'], new Error('exception 2'));
      ctx.recovered(['b']);
      await new Promise<void>((resolve) => (release = resolve));
    });
    runtime.start();
    await until(() => runtime.snapshot().polls === 1);
    expect(events).toContainEqual(['newValue a', 'a', 10, '10', expect.any(Date)]);
    expect(runtime.snapshot()).toMatchObject({ state: 'online', errors: 2, polls: 1, values: 1 });
    expect(perPointReads).toEqual([]);
    release();
    await runtime.stop();
  });

  it('a poll that fails with DRIVER_CONNECTION_LOST or throws makes the kit reconnect', async () => {
    let round = 0;
    const { runtime, connects } = setUp(async (_device, ctx) => {
      round++;
      if (round === 1) return ctx.failed(['a'], new DriverError(DriverCode.CONNECTION_LOST, 'socket closed'));
      if (round === 2) throw new Error('poll bug');
      await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve));
    });
    runtime.start();
    await until(() => connects() === 3);
    expect(runtime.snapshot().errors).toBe(2);
    await runtime.stop();
    expect(runtime.snapshot().state).toBe('offline');
  });
});
