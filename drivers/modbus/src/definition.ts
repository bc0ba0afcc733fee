/**
 * The Modbus driver: one process per TCP device or RTU line. `connect` opens the line, the
 * driver-owned `poll` reads the points in planned batches, `read`/`write` go before queued polls.
 */
import { defineDriver } from '@weble/driver-kit';
import { ModbusLine } from './modbus-line.js';
import { ModbusPoller } from './modbus-poller.js';
import { readPoint, writePoint } from './point-io.js';
import { configSchema, isWritable, pointSchema } from './schemas.js';
import { valueSchemaOf } from './value-schema.js';

/** The definition `runDriver` runs; the supervisor reads its schemas to validate site.yaml. */
export const definition = defineDriver({
  type: 'modbus',
  configSchema,
  pointSchema,
  valueSchema: (point) => valueSchemaOf(point),
  describe: (point) => ({ writable: isWritable(point) }),
  connect: (config, ctx) => ModbusLine.open(config, ctx.log, (error) => ctx.connectionLost(error)),
  disconnect: (line) => line.close(),
  read: (line, point) => readPoint(line, point),
  async write(line, point, value, address) {
    await writePoint(line, point, value, address.key, point.readBack ?? line.config.readBack);
  },
  poll: (line, ctx) => new ModbusPoller(line, ctx).run(),
  // Every point is polled at its own `pollMs`, else the gateway's (the hub's staleness check).
  refreshMs: (point, config) => point.pollMs ?? config.pollMs,
  reconnect: { initialMs: 250, maxMs: 10_000 },
});
