/**
 * @weble/driver-bacnet: BACnet/IP devices. The main export is the driver's definition and schemas
 * (for the supervisor, without starting anything); the bin `weble-driver-bacnet` runs it.
 */
export { schema } from './schema.js';
export { definition } from './definition.js';
export {
  configSchema,
  pointSchema,
  valueSchemaOf,
  objectSchema,
  propertySchema,
  type BacnetConfig,
  type BacnetPoint,
  type BacnetDeviceConfig,
} from './schemas.js';
export { deviceStateEvent, type DeviceInfo } from './gateway.js';
export { discoverOptionsSchema } from './schemas.js';
export { type DiscoveredDevice, type DiscoveredObject } from './discovery.js';
export { parseDiscoverOptions, type DiscoverOptions } from './discover-options.js';
export { planBatches, resultSize, type ReadItem } from './batching.js';
export { renewAfterMs, wantsCov } from './cov-policy.js';
export {
  classify,
  describeFailure,
  requestError,
  failureCode,
  BacnetCode,
  BacnetRequestError,
  type BacnetErrorCode,
  type Failure,
} from './failures.js';
export {
  float32ToNumber,
  decodeStatusFlags,
  decodeValues,
  encodeWrite,
  type StatusFlags,
  type ValueWithStatus,
} from './values.js';
export { UdpTransport, BACNET_PORT, type UdpTransportOptions } from './udp-transport.js';
export { BacnetSession, type DeviceBinding, type ReadOutcome, type SessionEvents } from './session.js';
export type { RemoteBacnetDriver } from './remote.js';
