/**
 * @weble/driver-serial: line- and frame-oriented serial devices, configured without code. The main
 * export is the driver's definition and schemas (for the supervisor, without starting anything);
 * the bin `weble-driver-serial` runs it.
 */
export { schema } from './schema.js';
export { definition } from './definition.js';
export {
  configSchema,
  pointSchema,
  framingSchema,
  matchSchema,
  bytesSchema,
  valueSchemaOf,
  type SerialConfig,
  type SerialPoint,
  type Framing,
  type Match,
} from './schemas.js';
export { SerialCode, SerialError, type SerialErrorCode } from './errors.js';
export {
  CHECKSUM_TYPES,
  CHECKSUM_SIZE,
  CHECKSUM_ENDIAN,
  checksum,
  checksumBytes,
  crc16Modbus,
  crc16Ccitt,
  crc8,
  crc8Maxim,
  lrc,
  sum8,
  xor8,
  type ChecksumType,
} from './checksum.js';
export {
  FrameDecoder,
  encodeFrame,
  layoutOfFormat,
  type FrameFormat,
  type FrameEvent,
  type FrameFault,
  type LengthField,
  type FrameChecksum,
} from './frame-codec.js';
export {
  compileLayout,
  endRule,
  type Layout,
  type LayoutElement,
  type ElementConfig,
  type LayoutProblem,
  type ElementRange,
  type FieldSize,
} from './layout.js';
export { buildFrame, parseFrame, type ParsedFrame, type FrameFields, type LayoutFault } from './layout-codec.js';
export { LayoutDecoder, type LayoutEvent } from './layout-decoder.js';
export { layoutSchema, elementSchema } from './layout-schema.js';
export { layoutOf } from './frame-stream.js';
export { parseTemplate, renderTemplate, type Template, type TemplatePart } from './template.js';
export { compileMatch, convert, frameOf, type Extractor, type Extracted, type Frame } from './extract.js';
export { BINARY_TYPES, readBinary, writeBinary, type BinaryType, type Endian } from './binary-types.js';
export { parseHex, toHex, unescape } from './bytes.js';
export type { FrameStats, FrameCounters } from './serial-device.js';
