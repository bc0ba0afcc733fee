/**
 * The Modbus driver: one process per TCP device or RTU line. `connect` opens the line, the
 * driver-owned `poll` reads the points in planned batches, `read`/`write` go before queued polls.
 */
import { defineDriver } from '@weble/driver-kit';
import { ModbusLine } from './modbus-line.js';
import { ModbusPoller } from './modbus-poller.js';
import { readPoint, writePoint } from './point-io.js';
import { schema } from './schema.js';

/** The definition `runDriver` runs (its schemas and hooks from `./schema.ts`, what the supervisor loads). */
export const definition = defineDriver({
  ...schema,
  connect: (config, ctx) => ModbusLine.open(config, ctx.log, (error) => ctx.connectionLost(error)),
  disconnect: (line) => line.close(),
  read: (line, point) => readPoint(line, point),
  async write(line, point, value, address) {
    await writePoint(line, point, value, address.key, point.readBack ?? line.config.readBack);
  },
  poll: (line, ctx) => new ModbusPoller(line, ctx).run(),
  reconnect: { initialMs: 250, maxMs: 10_000 },
});
