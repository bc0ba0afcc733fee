/**
 * The virtual driver: addresses kept in memory (logic variables, tests, demo values that move).
 * Written against @weble/driver-kit alone, it is the example for real drivers: schemas, a
 * "device" opened by `connect`, `read`/`write`, and polling of the points that change by themselves.
 */
import { defineDriver } from '@weble/driver-kit';
import { VirtualMemory } from './memory.js';
import { schema } from './schema.js';

/** The definition `runDriver` runs (its schemas and hooks from `./schema.ts`, what the supervisor loads). */
export const definition = defineDriver({
  ...schema,
  async connect(config, ctx) {
    ctx.log.debug({ tickMs: config.tickMs }, 'virtual memory ready');
    return new VirtualMemory(ctx.addresses, { tickMs: config.tickMs });
  },
  read: (memory, point, address) => memory.read(address.key, point),
  write: (memory, point, value, address) => memory.write(address.key, point, value),
  reconnect: { initialMs: 100, maxMs: 5_000 },
});
