/**
 * The `driver` module every driver shares on the mesh: an EventEmitter (events `newValue <key>`,
 * `newValue`, `gatewayState <id>` and a driver's own) whose only methods are `read`, `write`,
 * `status`, `addresses` and the driver's own `methods`, each taking a Node-style callback last,
 * as remote calls arrive.
 */
import { EventEmitter } from 'node:events';
import { DriverCode, DriverError } from './errors.js';
import type { AddressInfo } from './gateway-runtime.js';
import type { DriverStatus } from './status.js';

/** Node-style callback of the module's methods. */
export type DriverCallback<T extends unknown[] = []> = (error: Error | null, ...results: T | []) => void;

/** What the module calls; a {@link GatewayRuntime} implements it. */
export interface DriverOperations {
  read(key: string): Promise<[unknown, Date]>;
  write(key: string, value: unknown): Promise<void>;
  snapshot(): DriverStatus;
  addresses(): Array<AddressInfo<unknown>>;
  /** When each key was last read, ms (null: never). */
  refreshed(keys: readonly unknown[]): Array<number | null>;
  /** Names of the driver-specific methods (the definition's `methods`). */
  readonly methods?: readonly string[];
  /** Run the driver-specific method `name` with the arguments before the callback. */
  call?(name: string, args: unknown[]): Promise<unknown>;
}

/** The module's own method names: a driver-specific method may not take them. */
export const BUILT_IN_METHODS: readonly string[] = ['read', 'write', 'status', 'addresses', 'refreshed'];

/** Why `name` cannot be a driver-specific method, or undefined when it can. Pure. */
export function methodNameProblem(name: string): string | undefined {
  if (!/^[A-Za-z_$][\w$]*$/.test(name)) return 'not an identifier';
  if (BUILT_IN_METHODS.includes(name)) return 'a built-in method of the driver module';
  if (name in EventEmitter.prototype || name in Object.prototype) return 'an EventEmitter or Object method';
  return undefined;
}

/** The shared module: callback methods plus the emitter's events. */
export interface DriverModule extends EventEmitter {
  /** `(error, value, date)`: the device's current value of `key` and when it was read. */
  read(key: string, callback: DriverCallback<[unknown, Date]>): void;
  /** Write `value` to `key` (type-checked against the point); then `newValue <key>` when it changed. */
  write(key: string, value: unknown, callback: DriverCallback): void;
  /** `(error, status)`. */
  status(callback: DriverCallback<[DriverStatus]>): void;
  /** `(error, addresses)`: every configured address, with its last value when known. */
  addresses(callback: DriverCallback<[Array<AddressInfo<unknown>>]>): void;
  /** `(error, times)`: when each of `keys` was last read (ms since the epoch, changed or not; null: never). */
  refreshed(keys: string[], callback: DriverCallback<[Array<number | null>]>): void;
}

/**
 * Run `body` with the arguments before the callback and answer through the callback: results,
 * the body's error, or `DRIVER_BAD_ARGUMENT` when fewer than `needed` arguments came.
 */
function call(method: string, args: unknown[], needed: number, body: (args: unknown[]) => Promise<unknown[]>): void {
  const callback = args[args.length - 1];
  if (typeof callback !== 'function')
    throw new DriverError(DriverCode.BAD_ARGUMENT, `driver.${method} needs a callback last`);
  const done = callback as DriverCallback<unknown[]>;
  const rest = args.slice(0, -1);
  let promise: Promise<unknown[]>;
  if (rest.length < needed) {
    const shape =
      method === 'write' ? '(key, value, callback)' : method === 'refreshed' ? '(keys, callback)' : '(key, callback)';
    promise = Promise.reject(
      new DriverError(
        DriverCode.BAD_ARGUMENT,
        `driver.${method} takes ${shape}; got ${rest.length} argument(s) before the callback`,
      ),
    );
  } else {
    try {
      promise = body(rest);
    } catch (error) {
      promise = Promise.reject(error);
    }
  }
  promise.then(
    (results) => done(null, ...results),
    (error: unknown) => done(error instanceof Error ? error : new Error(String(error))),
  );
}

/**
 * Give `emitter` the four methods, and the driver-specific `operations.methods`, answered by
 * `operations`. Only these are own functions of the object, so they are all the mesh exposes
 * (emitter methods are never exposed by peers-core). A method name that is taken: a TypeError.
 */
export function createDriverModule(
  operations: DriverOperations,
  emitter: EventEmitter = new EventEmitter(),
): DriverModule {
  emitter.setMaxListeners(0);
  const extra: Record<string, (...args: unknown[]) => void> = {};
  for (const name of operations.methods ?? []) {
    const problem = methodNameProblem(name);
    if (problem !== undefined)
      throw new TypeError(`driver method ${JSON.stringify(name)} cannot be exposed: ${problem}`);
    const run = operations.call?.bind(operations);
    if (!run) throw new TypeError(`driver method ${JSON.stringify(name)} has no call() to answer it`);
    extra[name] = (...args: unknown[]): void => call(name, args, 0, async (rest) => [await run(name, rest)]);
  }
  return Object.assign(emitter, extra, {
    read(...args: unknown[]): void {
      call('read', args, 1, async ([key]) => operations.read(key as string));
    },
    write(...args: unknown[]): void {
      call('write', args, 2, async ([key, value]) => {
        await operations.write(key as string, value);
        return [];
      });
    },
    status(...args: unknown[]): void {
      call('status', args, 0, async () => [operations.snapshot()]);
    },
    addresses(...args: unknown[]): void {
      call('addresses', args, 0, async () => [operations.addresses()]);
    },
    refreshed(...args: unknown[]): void {
      call('refreshed', args, 1, async ([keys]) => {
        if (!Array.isArray(keys))
          throw new DriverError(
            DriverCode.BAD_ARGUMENT,
            `driver.refreshed takes (keys, callback): keys must be an array of address keys, got ${typeof keys}`,
          );
        return [operations.refreshed(keys)];
      });
    },
  }) as unknown as DriverModule;
}
