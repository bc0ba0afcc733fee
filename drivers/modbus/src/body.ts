/**
 * The Modbus driver without its schemas: `connect` opens the line, the driver-owned `poll` reads
 * the points in planned batches, `read`/`write` go before queued polls; with the hooks of hooks.ts.
 * The bin runs it with its schemas loaded on first need (bin.ts).
 */
import type { DriverBody } from '@weble/driver-kit';
import { hooks } from './hooks.js';
import { ModbusLine } from './modbus-line.js';
import { ModbusPoller } from './modbus-poller.js';
import { readPoint, writePoint } from './point-io.js';
import type { ModbusConfig, ModbusPoint, ModbusValue } from './schemas.js';

export const body: DriverBody<ModbusConfig, ModbusPoint, ModbusLine, ModbusValue> = {
  ...hooks,
  connect: (config, ctx) => ModbusLine.open(config, ctx.log, (error) => ctx.connectionLost(error)),
  disconnect: (line) => line.close(),
  read: (line, point) => readPoint(line, point),
  async write(line, point, value, address) {
    await writePoint(line, point, value, address.key, point.readBack ?? line.config.readBack);
  },
  poll: (line, ctx) => new ModbusPoller(line, ctx).run(),
  reconnect: { initialMs: 250, maxMs: 10_000 },
};
