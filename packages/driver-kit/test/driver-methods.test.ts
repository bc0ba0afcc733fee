import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineDriver } from '../src/definition.js';
import { createDriverModule, methodNameProblem, type DriverOperations } from '../src/driver-module.js';
import { DriverCode, DriverError } from '../src/errors.js';
import { GatewayRuntime } from '../src/gateway-runtime.js';

/** Call a module method as the mesh does: arguments, then a callback; resolve with what it got. */
function call(module: object, method: string, ...args: unknown[]): Promise<unknown[]> {
  const fn = (module as Record<string, (...a: unknown[]) => void>)[method];
  if (!fn) throw new Error(`no method ${method}`);
  return new Promise((resolve) => fn(...args, (...results: unknown[]) => resolve(results)));
}

function until(check: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const probe = (): void => (check() ? resolve() : void setImmediate(probe));
    probe();
  });
}

/** A driver with its own methods, an event of its own, and a write that reports a read-back. */
function setUp(connect: () => Promise<{ id: number }> = async () => ({ id: 7 })) {
  const events: unknown[][] = [];
  const definition = defineDriver({
    type: 'test',
    configSchema: z.unknown(),
    pointSchema: z.unknown(),
    connect: async (_config, ctx) => {
      ctx.emit?.('deviceState 7', 'online', 'bound');
      expect(() => ctx.emit?.('newValue a', 1)).toThrow(TypeError);
      expect(() => ctx.emit?.('gatewayState 1', 'online')).toThrow(TypeError);
      return connect();
    },
    read: () => 1,
    write: (_device, _point, value) => (value === null ? { value: 42 } : undefined),
    methods: {
      echo: (device, ...args) => ({ device: device.id, args }),
      fails: () => {
        throw new Error('no route to device 9');
      },
      coded: async () => {
        throw new DriverError(DriverCode.BAD_ARGUMENT, 'driver.coded: expected a device instance');
      },
    },
  });
  const runtime = new GatewayRuntime(
    definition,
    { gateway: { id: 1, type: 'test', config: {} }, addresses: [{ key: 'a', point: {} }] },
    { log: pino({ level: 'silent' }), emit: (...args) => events.push(args), backoff: () => 1 },
  );
  return { runtime, events, module: createDriverModule(runtime) };
}

describe('driver-specific methods', () => {
  it('are own methods of the module next to the five built-in ones, answered with the device through the callback', async () => {
    const { runtime, events, module } = setUp();
    const own = Object.getOwnPropertyNames(module).filter(
      (name) => typeof (module as unknown as Record<string, unknown>)[name] === 'function',
    );
    expect(own.sort()).toEqual(['addresses', 'coded', 'echo', 'fails', 'read', 'refreshed', 'status', 'write']);
    const [offline] = await call(module, 'echo', 1);
    expect(offline).toMatchObject({
      code: DriverCode.OFFLINE,
      message: 'driver.echo: the device of gateway 1 (test) is offline',
    });
    runtime.start();
    await until(() => runtime.snapshot().state === 'online');
    expect(events).toContainEqual(['deviceState 7', 'online', 'bound']);
    expect(await call(module, 'echo', 1, 'two')).toEqual([null, { device: 7, args: [1, 'two'] }]);
    expect(await call(module, 'echo')).toEqual([null, { device: 7, args: [] }]);
    const [failed] = await call(module, 'fails');
    expect(failed).toMatchObject({
      code: DriverCode.DEVICE_ERROR,
      message: 'driver.fails on gateway 1 (test) failed: no route to device 9',
    });
    const [coded] = await call(module, 'coded');
    expect(coded).toMatchObject({ code: DriverCode.BAD_ARGUMENT, message: 'driver.coded: expected a device instance' });
    await runtime.stop();
    const [stopped] = await call(module, 'echo');
    expect(stopped).toMatchObject({ code: DriverCode.STOPPED });
  });

  it('a write that resolves with an outcome reports its value instead of the written one', async () => {
    const { runtime, events, module } = setUp();
    runtime.start();
    await until(() => runtime.snapshot().state === 'online');
    expect(await call(module, 'write', 'a', 5)).toEqual([null]);
    expect(await call(module, 'write', 'a', null)).toEqual([null]);
    const reported = events.filter((event) => event[0] === 'newValue a').map((event) => event[2]);
    expect(reported).toEqual([1, 5, 42]); // 1: the first read when the device came online
    await runtime.stop();
  });

  it('names that are taken are refused at start', () => {
    expect(methodNameProblem('discover')).toBeUndefined();
    expect(methodNameProblem('read')).toBe('a built-in method of the driver module');
    expect(methodNameProblem('refreshed')).toBe('a built-in method of the driver module');
    expect(methodNameProblem('on')).toBe('an EventEmitter or Object method');
    expect(methodNameProblem('toString')).toBe('an EventEmitter or Object method');
    expect(methodNameProblem('two words')).toBe('not an identifier');
    const operations: DriverOperations = {
      read: async () => [1, new Date()],
      write: async () => undefined,
      snapshot: () => ({ state: 'online', since: new Date(), values: 0, reads: 0, writes: 0, errors: 0, polls: 0 }),
      addresses: () => [],
      refreshed: () => [],
      methods: ['emit'],
      call: async () => undefined,
    };
    expect(() => createDriverModule(operations)).toThrow(
      'driver method "emit" cannot be exposed: an EventEmitter or Object method',
    );
  });
});
