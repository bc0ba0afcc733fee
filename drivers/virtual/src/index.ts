/**
 * @weble/driver-virtual: in-memory addresses. The main export is the driver's definition and
 * schemas (for the supervisor, without starting anything); the bin `weble-driver-virtual` runs it.
 */
export { schema } from './schema.js';
export { definition } from './definition.js';
export {
  configSchema,
  pointSchema,
  valueSchemaOf,
  initialValue,
  type VirtualConfig,
  type VirtualPoint,
  type VirtualType,
} from './schemas.js';
export { VirtualMemory, type MemoryOptions } from './memory.js';
export * from './simulation.js';
