/**
 * The contract of the `alarms` core module on `supervision`, declared once: its name, methods,
 * events, states, severities and the shapes that cross the mesh (listings, history records,
 * history queries). The types are the module's API (`@weble/api`, which the web UI imports too);
 * the lists here name every member of them.
 */
import type {
  Acknowledgement,
  AlarmHappening,
  AlarmKind,
  AlarmRecord,
  AlarmsApi,
  AlarmsEvents,
  AlarmState,
  AlarmStatus,
  AlarmStoreStatus,
  Severity,
} from '@weble/api';
import { everyOf } from '../modules/every-of.js';

export type {
  Acknowledgement,
  AlarmHappening,
  AlarmKind,
  AlarmRecord,
  AlarmState,
  AlarmStatus,
  AlarmStoreStatus,
  Severity,
};

/** The core module on `supervision`. */
export const ALARMS_MODULE = 'alarms';

/** The methods the module shares (Node-style callbacks, last argument), nothing else. */
export const ALARMS_METHODS = everyOf<keyof AlarmsApi>()([
  'listAlarms',
  'insertAlarm',
  'updateAlarm',
  'deleteAlarm',
  'ack',
  'history',
  'status',
]);

/** The methods that change definitions (admin); `ack` is an operator's, the rest a viewer's. */
export const ALARMS_ADMIN_METHODS: readonly string[] = ['insertAlarm', 'updateAlarm', 'deleteAlarm'];

/** Events of the `alarms` module (also emitted on the hub's own emitter; core events: no other peer may emit them). */
export const AlarmEvents = {
  /** `(listing)`: a definition was added at run time. */
  inserted: 'alarmInserted',
  /** `(listing)`: a definition was changed at run time (its state starts again: cleared). */
  updated: 'alarmUpdated',
  /** `(listing)`: a definition was removed. */
  deleted: 'alarmDeleted',
  /** `(record)`: an alarm became active (see {@link AlarmRecord}). */
  raised: 'alarmRaised',
  /** `(record)`: an active alarm's condition ended. */
  cleared: 'alarmCleared',
  /** `(record)`: someone acknowledged an alarm; the record has `by`, `peer`, `comment` and `at`. */
  acknowledged: 'alarmAcknowledged',
  /** `(status)`: the alarm history store paused (disk read-only, full) or resumed; see {@link AlarmStoreStatus}. */
  storeStatus: 'alarmStoreStatus',
} as const satisfies Record<string, keyof AlarmsEvents>;

/** What an alarm watches: a value above or below a limit, a value equal to a state, or the value's quality. */
export const ALARM_KINDS = everyOf<AlarmKind>()(['high', 'low', 'state', 'commLoss']);

/** Severities, most severe first. */
export const SEVERITIES = everyOf<Severity>()(['critical', 'major', 'minor', 'info']);

/** The four states of an alarm. */
export const ALARM_STATES = everyOf<AlarmState>()([
  'active-unacknowledged',
  'active-acknowledged',
  'cleared-unacknowledged',
  'cleared',
]);

/** What happened to an alarm (a history record's `event`). */
export const ALARM_HAPPENINGS = everyOf<AlarmHappening>()(['raised', 'cleared', 'acknowledged']);

/** `history` answers at most this many records per query. */
export const HISTORY_MAX_LIMIT = 5_000;
/** `history` answers this many records when no limit is given. */
export const HISTORY_DEFAULT_LIMIT = 200;
/** Records kept on the hub while the store cannot write, at most (then the oldest are dropped, counted). */
export const MAX_PENDING_RECORDS = 50_000;
