/**
 * The `alarms` core module on `supervision` (docs/alarms.md): alarm definitions on addresses,
 * their states, acknowledgements, the stored history and its store's status; the events of
 * changes and of alarms raised, cleared and acknowledged.
 */
import type { Method, Remote, Served } from './module-api.js';

/** What an alarm watches: a value above or below a limit, a value equal to a state, or the value's quality. */
export type AlarmKind = 'high' | 'low' | 'state' | 'commLoss';

/** Severities (most severe first: critical, major, minor, info). */
export type Severity = 'critical' | 'major' | 'minor' | 'info';

/** The four states of an alarm. */
export type AlarmState = 'active-unacknowledged' | 'active-acknowledged' | 'cleared-unacknowledged' | 'cleared';

/** What happened to an alarm (a history record's `event`). */
export type AlarmHappening = 'raised' | 'cleared' | 'acknowledged';

/** An alarm as site.yaml `alarms:` gives it, defaults filled in. */
export interface AlarmEntry {
  /** 1-64 letters, digits, `_`, `-` and `.`. */
  id: string;
  /** Key, name or alias of the address watched. */
  address: string;
  kind: AlarmKind;
  /** high/low: the limit (active when the value is strictly beyond it). */
  limit?: number | undefined;
  /** high/low: the value must come back this far inside the limit to clear. */
  hysteresis?: number | undefined;
  /** state: the value that is the alarm (default true). */
  equals?: boolean | number | string | undefined;
  /** The condition must hold this long before the alarm is raised, ms. */
  delayMs: number;
  severity: Severity;
  /** What the operator reads (default: made from the address and the condition). */
  message?: string | undefined;
  /** A disabled alarm is never raised (an active one clears). */
  enabled: boolean;
}

/** An alarm as `insertAlarm` takes it: `delayMs` (0), `severity` (major) and `enabled` (true) may be left out. */
export type AlarmInput = Omit<AlarmEntry, 'delayMs' | 'severity' | 'enabled'> &
  Partial<Pick<AlarmEntry, 'delayMs' | 'severity' | 'enabled'>>;

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

/** An alarm as `listAlarms` answers it (and `alarmInserted`, `alarmUpdated`, `alarmDeleted` carry): its entry, its address key and its state. */
export type AlarmListing = AlarmEntry & AlarmStatus & { message: string; key: string | null };

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

/** A `history` query: every key optional; times are Dates or epoch ms; severity, state and event take one value or a list. */
export interface AlarmQuery {
  from?: Date | number | undefined;
  to?: Date | number | undefined;
  /** Key, name or alias (an address deleted since: its key). */
  address?: string | undefined;
  /** One alarm id. */
  id?: string | undefined;
  severity?: Severity | Severity[] | undefined;
  state?: AlarmState | AlarmState[] | undefined;
  event?: AlarmHappening | AlarmHappening[] | undefined;
  /** Default 200, at most 5,000. */
  limit?: number | undefined;
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

/** The methods of the `alarms` module. */
export interface AlarmsApi {
  listAlarms: Method<[], [alarms: AlarmListing[]]>;
  insertAlarm: Method<[alarm: AlarmInput]>;
  /** Change alarm `id` (the definition's `id` may be left out); its state stays and is evaluated again. */
  updateAlarm: Method<[id: string, alarm: Omit<AlarmInput, 'id'> & { id?: string }]>;
  deleteAlarm: Method<[id: string]>;
  /** Acknowledge with an optional comment; answers the history record (who, when). */
  ack: Method<[id: string, comment?: string], [record: AlarmRecord]>;
  /** The stored history, newest first. */
  history: Method<[query?: AlarmQuery], [records: AlarmRecord[]]>;
  status: Method<[], [status: AlarmStoreStatus]>;
}

/** The events of the `alarms` module (also emitted on the hub's own emitter). */
export interface AlarmsEvents {
  alarmInserted: (alarm: AlarmListing) => void;
  /** Its state starts again: cleared. */
  alarmUpdated: (alarm: AlarmListing) => void;
  alarmDeleted: (alarm: AlarmListing) => void;
  alarmRaised: (record: AlarmRecord) => void;
  alarmCleared: (record: AlarmRecord) => void;
  /** The record has `by`, `peer`, `comment` and `at`. */
  alarmAcknowledged: (record: AlarmRecord) => void;
  /** The alarm history store paused (disk read-only, full) or resumed. */
  alarmStoreStatus: (status: AlarmStoreStatus) => void;
}

/** What the supervisor's `alarms` module implements. */
export type ServedAlarms = Served<AlarmsApi>;

/** `await peers('supervision').require('alarms')`, typed. */
export type RemoteAlarms = Remote<AlarmsApi, AlarmsEvents>;
