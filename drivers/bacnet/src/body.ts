/**
 * The BACnet/IP driver: one UDP socket per gateway, devices found by Who-Is / I-Am or configured
 * by address, points read in ReadPropertyMultiple batches or served by COV, prioritized writes
 * with read-back, per-device online/offline, and `discover`, `devices`, `priorityArray` methods.
 * Its body; definition.ts adds the schemas.
 */
import { DriverCode, DriverError, type DriverBody } from '@weble/driver-kit';
import { discover } from './discovery.js';
import { BacnetGateway } from './gateway.js';
import { hooks } from './hooks.js';
import { pollGateway } from './poller.js';
import type { BacnetConfig, BacnetPoint } from './schemas.js';

/**
 * The driver without its schemas (the hooks of hooks.ts and the device operations): the bin runs
 * it with its schemas loaded on first need (bin.ts); definition.ts adds them for other code.
 */
export const body: DriverBody<BacnetConfig, BacnetPoint, BacnetGateway> = {
  ...hooks,
  connect: (config, ctx) => BacnetGateway.open(config, ctx),
  disconnect: (gateway) => gateway.close(),
  read: (gateway, _point, address) => gateway.read(address.key),
  write: (gateway, _point, value, address) => gateway.write(address.key, value),
  poll: (gateway, ctx) => pollGateway(gateway, ctx),
  methods: {
    /** `discover(options?, cb)`: devices that answer a Who-Is (and their objects with `{ objects: true }`). */
    discover: (gateway, options) => badArgument(() => discover(gateway.session, options, gatewaySignal(gateway))),
    /** `devices(cb)`: the binding cache with each device's state. */
    devices: (gateway) => gateway.devices(),
    /** `priorityArray(key, cb)`: the 16 slots of the point's object and the active priority. */
    priorityArray: (gateway, key) => badArgument(() => gateway.priorityArray(key)),
  },
  reconnect: { initialMs: 500, maxMs: 30_000 },
};

/** Run `body`; its TypeError (arguments from the mesh that do not fit) is `DRIVER_BAD_ARGUMENT`. */
async function badArgument<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof TypeError) throw new DriverError(DriverCode.BAD_ARGUMENT, error.message);
    throw error;
  }
}

/** Aborted when the gateway closes (a discovery in progress stops waiting). */
function gatewaySignal(gateway: BacnetGateway): AbortSignal {
  return gateway.closed;
}
