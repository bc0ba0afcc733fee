/**
 * `dist/bin-schema.cjs`: the Modbus driver's schemas and zod, bundled apart from its bin, which
 * requires this only when it must validate (driver-kit's `runBundledDriver`, docs/memory.md).
 */
export { schema } from './schema.js';
export { parseDriverConfig } from '@weble/driver-kit';
