/**
 * @weble/driver-knx: KNX over KNXnet/IP. The main export is the driver's definition and schemas
 * (for the supervisor, without starting anything), the datapoint codec, group addresses and the
 * ETS import; the bin `weble-driver-knx` runs the driver.
 */
export { schema } from './schema.js';
export { definition, valueSchemaOf } from './definition.js';
export {
  configSchema,
  pointSchema,
  groupAddressSchema,
  dptSchema,
  KNX_PORT,
  KNX_MULTICAST,
  type KnxConfig,
  type KnxPoint,
} from './schemas.js';
export { KnxCode, KnxError, isKnxError, type KnxErrorCode } from './errors.js';
export {
  parseGroupAddress,
  tryParseGroupAddress,
  formatGroupAddress,
  type GroupAddressStyle,
} from './group-address.js';
export { parseDpt, tryParseDpt, formatDpt, isSupportedDpt, DPT_SIZES, type DptId } from './dpt/dpt-id.js';
export { decodeDpt, encodeDpt, type TelegramData } from './dpt/dpt-codec.js';
export { checkValue, type DptValue } from './dpt/dpt-values.js';
export { TELEGRAM_ERROR_EVENT, type TelegramErrorInfo } from './gateway.js';
export { KnxLink, type KnxLinkOptions, type KnxTransport, type GroupTelegram } from './link/knx-link.js';
export { Heartbeat, DEFAULT_HEARTBEAT, type HeartbeatTiming } from './link/heartbeat.js';
export { SendQueue, nextSlot } from './link/send-queue.js';
export { AckTracker, type AckTrackerOptions } from './link/ack-tracker.js';
export { connectionStateRequest, parseConnectionStateResponse } from './link/connection-state-frames.js';
export { importEts, parseEtsExport, type EtsImport, type ImportedAddress } from './ets/ets-import.js';
export { parseEtsCsv, splitCsv } from './ets/ets-csv.js';
export { parseEtsXml } from './ets/ets-xml.js';
export type { EtsGroupAddress } from './ets/ets-types.js';
