/**
 * @weble/driver-kit: the driver contract. A driver package exports its `definition` (schemas and
 * device operations) and its bin calls `runDriver(definition)`; the kit does the rest.
 */
export { z } from 'zod';
export type { Backoff, BackoffOptions, HubEndpoint } from './peer-types.js';
export { runDriver, runDriverProcess, ExitCode, type RunDriverOptions, type ConfigCheck } from './run-driver.js';
export {
  startDriver,
  driverPeerName,
  DRIVER_MODULE,
  type StartDriverOptions,
  type RunningDriver,
} from './start-driver.js';
export {
  defineDriver,
  defineDriverSchema,
  type DriverSchema,
  refreshPeriod,
  DEVICE_STATES,
  type DeviceState,
  type GatewayId,
  type Gateway,
  type Address,
  type DriverConfig,
  type DriverContext,
  type PollContext,
  type DriverDefinition,
  type DriverMethod,
  type WriteOutcome,
  type DriverSchemas,
  type DriverBody,
  type SchemaSource,
  type SchemaModule,
  type LazyDriverDefinition,
  type RunnableDefinition,
} from './definition.js';
export { isLazy, bundledDriverPackage } from './lazy-schemas.js';
export { runBundledDriver } from './bundled-driver.js';
export { VALIDATED_BY_FIELD } from './config-message.js';
export type { DriverEnv } from './driver-env.js';
export {
  CONFIG_MESSAGE_TYPE,
  PEER_NAME_PATTERN,
  gatewayIdSchema,
  addressKeySchema,
  gatewaySchema,
  addressSchema,
  driverConfigSchema,
  configMessageSchema,
  driverEnvSchema,
  parseDriverConfig,
  parseDriverEnv,
  type ParseResult,
} from './schemas.js';
export { DriverCode, DriverError, hasCode, describeValue, type DriverErrorCode } from './errors.js';
export { CodedError } from '@weble/peers-core/core';
export { formatIssues, formatPath, describeIssue } from './issues.js';
export { badValueError, describeValueIssues } from './bad-value.js';
export {
  receiveConfig,
  configFileArgument,
  type ConfigSources,
  type RawConfig,
  type IpcChannel,
} from './config-source.js';
export { watchParent, isPipe, type ParentWatchKind, type WatchedProcess } from './parent-watch.js';
export {
  DeviceConnection,
  attemptAfterSession,
  abortableDelay,
  type Session,
  type DeviceConnectionOptions,
} from './device-connection.js';
export { pollLoop, type PollLoop } from './poller.js';
export { monotonicMs } from './clock.js';
export { LastValues, sameValue, valueToString, type ValueRecord, type EmitValue } from './values.js';
export { StatusTracker, type DriverStatus, type Counters } from './status.js';
export { GatewayRuntime, DEFAULT_DEVICE_BACKOFF, type RuntimeOptions, type AddressInfo } from './gateway-runtime.js';
export {
  createDriverModule,
  methodNameProblem,
  BUILT_IN_METHODS,
  type DriverModule,
  type DriverCallback,
  type DriverOperations,
} from './driver-module.js';
export { DriverEvents, type RemoteDriver } from './events.js';
export { mergePointInfo, POINT_INFO_EVENT, type PointInfo } from './point-info.js';
