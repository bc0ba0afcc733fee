import { describe, expect, it } from 'vitest';
import { createDriverModule, type DriverOperations } from '../src/driver-module.js';
import { DriverCode, DriverError } from '../src/errors.js';

const date = new Date(0);
const operations: DriverOperations = {
  read: async (key) => {
    if (key !== 'a') throw new DriverError(DriverCode.UNKNOWN_ADDRESS, `unknown address "${key}"`);
    return [1, date];
  },
  write: async () => undefined,
  snapshot: () => ({ state: 'online', since: date, values: 0, reads: 0, writes: 0, errors: 0, polls: 0 }),
  addresses: () => [{ key: 'a', point: {} }],
  refreshed: (keys) => keys.map((key) => (key === 'a' ? 1_000 : null)),
};

/** Call a module method as the mesh does: arguments, then a callback; resolve with what it got. */
function call(method: (...args: never[]) => void, ...args: unknown[]): Promise<unknown[]> {
  return new Promise((resolve) =>
    (method as (...a: unknown[]) => void)(...args, (...results: unknown[]) => resolve(results)),
  );
}

describe('the driver module', () => {
  it('exposes exactly read, write, status, addresses and refreshed as own methods, and emits', () => {
    const module = createDriverModule(operations);
    const own = Object.getOwnPropertyNames(module).filter(
      (name) => typeof (module as unknown as Record<string, unknown>)[name] === 'function',
    );
    expect(own.sort()).toEqual(['addresses', 'read', 'refreshed', 'status', 'write']);
    expect(typeof module.on).toBe('function');
  });

  it('answers through the callback: results, errors, missing arguments', async () => {
    const module = createDriverModule(operations);
    expect(await call(module.read, 'a')).toEqual([null, 1, date]);
    expect(await call(module.write, 'a', 2)).toEqual([null]);
    expect(await call(module.status)).toEqual([null, operations.snapshot()]);
    expect(await call(module.addresses)).toEqual([null, [{ key: 'a', point: {} }]]);
    expect(await call(module.refreshed, ['a', 'b'])).toEqual([null, [1_000, null]]);
    const [notList] = await call(module.refreshed, 'a');
    expect(notList).toMatchObject({
      code: DriverCode.BAD_ARGUMENT,
      message: 'driver.refreshed takes (keys, callback): keys must be an array of address keys, got string',
    });
    const [none] = await call(module.refreshed);
    expect(none).toMatchObject({
      code: DriverCode.BAD_ARGUMENT,
      message: 'driver.refreshed takes (keys, callback); got 0 argument(s) before the callback',
    });
    const [unknown] = await call(module.read, 'b');
    expect(unknown).toMatchObject({ code: DriverCode.UNKNOWN_ADDRESS });
    const [missing] = await call(module.write, 'a');
    expect(missing).toMatchObject({
      code: DriverCode.BAD_ARGUMENT,
      message: 'driver.write takes (key, value, callback); got 1 argument(s) before the callback',
    });
    expect(() => (module.read as (...a: unknown[]) => void)('a')).toThrow(/needs a callback last/);
  });
});
