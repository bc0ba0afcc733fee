/**
 * The contract of the `alarms` core module on `supervision`, declared once: its name, methods,
 * events, states, severities and the shapes that cross the mesh (listings, history records,
 * history queries). The supervisor, the alarm store and the web UI's types follow it.
 */

/** The core module on `supervision`. */
export const ALARMS_MODULE = 'alarms';

/** The methods the module shares (Node-style callbacks, last argument), nothing else. */
export const ALARMS_METHODS = [
  'listAlarms',
  'insertAlarm',
  'updateAlarm',
  'deleteAlarm',
  'ack',
  'history',
  'status',
] as const;

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
} as const;

/** What an alarm watches: a value above or below a limit, a value equal to a state, or the value's quality. */
export const ALARM_KINDS = ['high', 'low', 'state', 'commLoss'] as const;
export type AlarmKind = (typeof ALARM_KINDS)[number];

/** Severities, most severe first. */
export const SEVERITIES = ['critical', 'major', 'minor', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** The four states of an alarm. */
export const ALARM_STATES = [
  'active-unacknowledged',
  'active-acknowledged',
  'cleared-unacknowledged',
  'cleared',
] as const;
export type AlarmState = (typeof ALARM_STATES)[number];

/** What happened to an alarm (a history record's `event`). */
export const ALARM_HAPPENINGS = ['raised', 'cleared', 'acknowledged'] as const;
export type AlarmHappening = (typeof ALARM_HAPPENINGS)[number];

/** Who acknowledged: the user (of a web session; else the peer name) and the calling peer. */
export interface Acknowledgement {
  by: string;
  peer: string;
  comment: string;
  /** ms since the epoch. */
  at: number;
}

/** The run-time state of an alarm (kept in the store across restarts of the hub). */
export interface AlarmStatus {
  state: AlarmState;
  /** When it was last raised, ms. */
  raisedAt: number | null;
  /** When it last cleared, ms. */
  clearedAt: number | null;
  /** The value at the last raise or clear. */
  value: unknown;
  /** The last acknowledgement (of the current occurrence or the previous one). */
  ack: Acknowledgement | null;
}

/** One line of the alarm history, and the payload of `alarmRaised`, `alarmCleared` and `alarmAcknowledged`. */
export interface AlarmRecord {
  /** The alarm's id. */
  id: string;
  event: AlarmHappening;
  /** The state after the event. */
  state: AlarmState;
  /** ms since the epoch. */
  at: number;
  /** The address key. */
  address: string;
  severity: Severity;
  message: string;
  /** The value that raised or cleared it (raised, cleared). */
  value?: unknown;
  /** Acknowledged: the user (web sessions) or peer name. */
  by?: string;
  /** Acknowledged: the calling peer's name. */
  peer?: string;
  /** Acknowledged: the operator's comment (may be empty). */
  comment?: string;
}

/** The alarm history store's health (`status()`, `alarmStoreStatus`). */
export interface AlarmStoreStatus {
  state: 'starting' | 'ok' | 'paused';
  /** The database file. */
  file: string;
  /** Why it paused (`SQLITE_READONLY`, `ENOSPC`, ...) and the message. */
  detail?: string | undefined;
  /** Records waiting in the hub's memory to be written. */
  pending: number;
  /** Records dropped because the queue was full while paused (oldest first). */
  dropped: number;
}

/** `history` answers at most this many records per query. */
export const HISTORY_MAX_LIMIT = 5_000;
/** `history` answers this many records when no limit is given. */
export const HISTORY_DEFAULT_LIMIT = 200;
/** Records kept on the hub while the store cannot write, at most (then the oldest are dropped, counted). */
export const MAX_PENDING_RECORDS = 50_000;
