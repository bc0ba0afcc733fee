/**
 * @weble/supervisor: the `weble-supervisor` CLI's library side. Load and validate a site.yaml,
 * hash passwords for it, run a site, and ask a running supervisor for its processes.
 */
export * from './config/index.js';
export { hashPassword, verifyPassword, md5Hex, PASSWORD_HASH_PATTERN, SCRYPT_PARAMS } from '@weble/web/site';
export { runSupervisor, type Supervisor, type SupervisorOptions } from './supervisor.js';
export { fetchStatus, type ProcessInfo } from './status-client.js';
export * from './loggers/contract.js';
export { LoggersCode, LoggersError, type LoggersErrorCode } from './loggers/errors.js';
// The store's writer on a database file, for the benchmark that measures it without the process boundary.
export { SampleWriter } from './loggers/store/sample-writer.js';
export { openSampleDatabase } from './loggers/store/sample-db.js';
export {
  loggerSchema,
  historyOptionsSchema,
  type LoggerDefinition,
  type LoggerInput,
  type HistoryOptions,
} from './loggers/schema.js';
export {
  QUALITIES as VALUE_QUALITIES,
  ValueEvents,
  isQuality,
  type Quality as ValueQuality,
} from './modules/value-quality.js';
export * from './alarms/contract.js';
export { AlarmsCode, AlarmsError, type AlarmsErrorCode } from './alarms/errors.js';
export {
  alarmSchema,
  historyQuerySchema as alarmHistoryQuerySchema,
  type AlarmDefinition,
  type AlarmInput,
  type AlarmHistoryQuery,
} from './alarms/schema.js';
export { evaluate as evaluateAlarm, matchesState } from './alarms/condition.js';
export { callerIdentity, sessionUser } from './alarms/caller-identity.js';
