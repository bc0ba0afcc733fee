/**
 * @weble/api: the API of the gateway's core modules `gateways`, `system`, `loggers`, `alarms`,
 * `audit` and `access`, as types only (no run-time code: importing it loads nothing). The
 * supervisor's modules are checked against it; the web UI, logic scripts, the northbound bridge
 * and tests call the modules through it.
 */
export type {
  Method,
  AnyMethod,
  ModuleApi,
  Reply,
  ReplyOf,
  Served,
  FirstResult,
  RemoteMethod,
  AnyListener,
  ModuleEvents,
  Remote,
} from './module-api.js';
export type { PointInfo } from './point-info.js';
export type {
  GatewayId,
  Quality,
  GatewayEntry,
  Gateway,
  AddressEntry,
  LastValue,
  Address,
  DriverAnswer,
  GatewaysApi,
  GatewaysEvents,
  ServedGateways,
  RemoteGateways,
} from './gateways.js';
export type {
  ProcessInfo,
  ConfigVersion,
  ConfigRestoreResult,
  SystemApi,
  SystemEvents,
  ServedSystem,
  RemoteSystem,
} from './system.js';
export type { BridgeStatus, BridgeError } from './northbound.js';
export type {
  LoggerOnChange,
  LoggerRetention,
  LoggerEntry,
  LoggerInput,
  LoggerListing,
  Aggregate,
  HistoryPoint,
  HistorySeries,
  HistoryOptions,
  LoggerStoreStatus,
  LoggersApi,
  LoggersEvents,
  ServedLoggers,
  RemoteLoggers,
} from './loggers.js';
export type {
  AlarmKind,
  Severity,
  AlarmState,
  AlarmHappening,
  AlarmEntry,
  AlarmInput,
  Acknowledgement,
  AlarmStatus,
  AlarmListing,
  AlarmRecord,
  AlarmQuery,
  AlarmStoreStatus,
  AlarmsApi,
  AlarmsEvents,
  ServedAlarms,
  RemoteAlarms,
} from './alarms.js';
export type {
  AuditAction,
  AuditEntry,
  AuditFilter,
  LoginReport,
  AuditStatus,
  AuditApi,
  ServedAudit,
  RemoteAudit,
} from './audit.js';
export type { Role, WhoAmI, AccessApi, ServedAccess, RemoteAccess } from './access.js';
