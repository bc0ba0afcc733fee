/**
 * Reading and writing one point through a {@link ModbusLine}: where its bits or registers are, how
 * a reply becomes its value, and which function code writes it (FC5/FC15 for coils, FC6/FC16
 * for registers, read-modify-write for a bit of a register). On-demand reads and writes are
 * urgent jobs of the line's queue: they go before the next poll request.
 */
import { DriverCode, DriverError } from '@weble/driver-kit';
import type { ModbusLine, ReadReply } from './modbus-line.js';
import type { PlanItem } from './request-planner.js';
import { decodeRegisters, encodeRegisters, withBit } from './value-codec.js';
import { isWritable, registerCount } from './point-facts.js';
import type { ModbusConfig, ModbusPoint, ModbusValue } from './schemas.js';

/** The unit of a point: its own `unit`, else the gateway's `unitId`. */
export function unitOf(point: ModbusPoint, config: Pick<ModbusConfig, 'unitId'>): number {
  return point.unit ?? config.unitId;
}

/** The read plan item of a point. */
export function planItem<K>(key: K, point: ModbusPoint, config: Pick<ModbusConfig, 'unitId'>): PlanItem<K> {
  return { key, unit: unitOf(point, config), table: point.table, address: point.address, count: registerCount(point) };
}

/** The value of `point` at `offset` (registers or bits) of a reply. */
export function decodePoint(point: ModbusPoint, reply: ReadReply, offset: number): ModbusValue {
  if (reply.kind === 'bits') {
    const bit = reply.bits[offset];
    if (bit === undefined) throw new RangeError(`reply has no bit ${offset}`);
    return bit;
  }
  return decodeRegisters(point, reply.bytes.subarray(offset * 2));
}

/** Read one point now (before queued polls). */
export async function readPoint(line: ModbusLine, point: ModbusPoint): Promise<ModbusValue> {
  const item = planItem(undefined, point, line.config);
  const reply = await line.queue.urgent(() =>
    line.read({ unit: item.unit, table: item.table, start: item.address, count: item.count }),
  );
  return decodePoint(point, reply, 0);
}

/** Whether two values match after a read-back (floats compared at float32 precision). */
function sameReadBack(point: ModbusPoint, written: ModbusValue, read: ModbusValue): boolean {
  if (typeof written === 'number' && typeof read === 'number') {
    if (point.type === 'float32')
      return Math.fround(written) === Math.fround(read) || Math.abs(written - read) <= Math.abs(written) * 1e-6;
    return Math.abs(written - read) <= Math.abs(point.scale ?? 1) / 2;
  }
  return written === read;
}

/** How the read-only tables are called in messages. */
const READ_ONLY_TABLES: Record<ModbusPoint['table'], string> = {
  discrete: 'discrete inputs',
  input: 'input registers',
  coil: 'coils',
  holding: 'holding registers',
};

/**
 * Write one point (already checked by its value schema) before queued polls; with `readBack`,
 * read it again in the same job and fail when the device holds another value.
 */
export async function writePoint(
  line: ModbusLine,
  point: ModbusPoint,
  value: ModbusValue,
  key: string,
  readBack: boolean,
): Promise<ModbusValue | undefined> {
  if (!isWritable(point))
    throw new DriverError(
      DriverCode.READ_ONLY,
      `write ${JSON.stringify(key)}: ${READ_ONLY_TABLES[point.table]} are read-only`,
    );
  const unit = unitOf(point, line.config);
  const multiple = point.writeMultiple ?? false;
  return line.queue.urgent(async () => {
    if (point.table === 'coil') await line.writeBits(unit, point.address, [value === true], multiple);
    else if (point.type === 'bool') {
      const current = await line.read({ unit, table: 'holding', start: point.address, count: 1 });
      if (current.kind !== 'registers') throw new Error('expected registers');
      await line.writeRegisters(unit, point.address, withBit(point, current.bytes, value === true), multiple);
    } else await line.writeRegisters(unit, point.address, encodeRegisters(point, value as number | string), multiple);
    if (!readBack) return undefined;
    const reply = await line.read({ unit, table: point.table, start: point.address, count: registerCount(point) });
    const back = decodePoint(point, reply, 0);
    if (!sameReadBack(point, value, back)) {
      throw new DriverError(
        DriverCode.DEVICE_ERROR,
        `write ${JSON.stringify(key)}: read back ${JSON.stringify(back)} after writing ${JSON.stringify(value)}`,
      );
    }
    return back;
  });
}
