/**
 * @weble/driver-modbus: Modbus TCP and RTU. The main export is the driver's definition and
 * schemas (for the supervisor, without starting anything); the bin `weble-driver-modbus` runs it.
 */
export { schema } from './schema.js';
export { definition } from './definition.js';
export {
  configSchema,
  tcpConfigSchema,
  rtuConfigSchema,
  pointSchema,
  registerCount,
  isWritable,
  TABLES,
  TYPES,
  ORDERS,
  type ModbusConfig,
  type TcpConfig,
  type RtuConfig,
  type ModbusPoint,
  type ModbusValue,
  type Table,
  type PointType,
  type ByteOrder,
} from './schemas.js';
export { valueSchemaOf } from './value-schema.js';
export { decodeRegisters, encodeRegisters, withBit, reorder, toRaw, type CodecPoint } from './value-codec.js';
export {
  planRequests,
  splitRequest,
  isBitTable,
  PROTOCOL_LIMITS,
  type PlanItem,
  type ReadRequest,
  type PlanLimits,
} from './request-planner.js';
export { RequestQueue, type Job } from './request-queue.js';
export { UnitHealth, describeOffline, type OfflineUnit } from './unit-health.js';
export {
  ModbusCode,
  ModbusError,
  modiconAddress,
  modiconRange,
  exceptionError,
  type ModbusErrorCode,
} from './errors.js';
export { planGroups, type PollGroup } from './modbus-poller.js';
export { interFrameMs } from './modbus-line.js';
