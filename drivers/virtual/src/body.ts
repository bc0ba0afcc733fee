/**
 * The virtual driver without its schemas: the "device" opened by `connect`, `read`/`write`, and
 * the hooks of hooks.ts. The bin runs it with its schemas loaded on first need (bin.ts).
 */
import type { DriverBody } from '@weble/driver-kit';
import { hooks } from './hooks.js';
import { VirtualMemory } from './memory.js';
import type { VirtualConfig, VirtualPoint } from './schemas.js';

export const body: DriverBody<VirtualConfig, VirtualPoint, VirtualMemory> = {
  ...hooks,
  async connect(config, ctx) {
    ctx.log.debug({ tickMs: config.tickMs }, 'virtual memory ready');
    return new VirtualMemory(ctx.addresses, { tickMs: config.tickMs });
  },
  read: (memory, point, address) => memory.read(address.key, point),
  write: (memory, point, value, address) => memory.write(address.key, point, value),
  reconnect: { initialMs: 100, maxMs: 5_000 },
};
