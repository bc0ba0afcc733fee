/**
 * The virtual driver: addresses kept in memory (logic variables, tests, demo values that move).
 * Written against @weble/driver-kit alone, it is the example for real drivers: schemas, a
 * "device" opened by `connect`, `read`/`write`, and polling of the points that change by themselves.
 */
import { defineDriver } from '@weble/driver-kit';
import { VirtualMemory } from './memory.js';
import { configSchema, pointSchema, valueSchemaOf } from './schemas.js';

/** The definition `runDriver` runs; the supervisor reads its schemas to validate site.yaml. */
export const definition = defineDriver({
  type: 'virtual',
  configSchema,
  pointSchema,
  valueSchema: (point) => valueSchemaOf(point),
  // Simulated points move by themselves: they cannot be written.
  describe: (point) => ({ writable: !((point.type === 'number' || point.type === 'boolean') && point.simulate !== undefined) }),
  async connect(config, ctx) {
    ctx.log.debug({ tickMs: config.tickMs }, 'virtual memory ready');
    return new VirtualMemory(ctx.addresses, { tickMs: config.tickMs });
  },
  read: (memory, point, address) => memory.read(address.key, point),
  write: (memory, point, value, address) => memory.write(address.key, point, value),
  pollMs: (config) => config.tickMs,
  isPolled: (point) => (point.type === 'number' || point.type === 'boolean') && point.simulate !== undefined,
  reconnect: { initialMs: 100, maxMs: 5_000 },
});
