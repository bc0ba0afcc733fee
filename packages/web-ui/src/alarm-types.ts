/**
 * The `alarms` module on `supervision` as the UI sees it (docs/alarms.md): listings, history
 * records and the module's methods and events; and the pure helpers of the alarms page and the
 * header count (counts, order, labels), tested in test/alarms-pure.test.ts.
 */
import type { ModuleProxy } from './peers.js';

export const SEVERITIES = ['critical', 'major', 'minor', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const ALARM_STATES = [
  'active-unacknowledged',
  'active-acknowledged',
  'cleared-unacknowledged',
  'cleared',
] as const;
export type AlarmState = (typeof ALARM_STATES)[number];

/** An alarm as `alarms.listAlarms` answers it. */
export interface AlarmListing {
  id: string;
  address: string;
  key: string | null;
  kind: 'high' | 'low' | 'state' | 'commLoss';
  limit?: number;
  severity: Severity;
  message: string;
  enabled: boolean;
  state: AlarmState;
  raisedAt: number | null;
  clearedAt: number | null;
  value: unknown;
  ack: { by: string; peer: string; comment: string; at: number } | null;
}

/** A history record (and the payload of `alarmRaised`, `alarmCleared`, `alarmAcknowledged`). */
export interface AlarmRecord {
  id: string;
  event: 'raised' | 'cleared' | 'acknowledged';
  state: AlarmState;
  at: number;
  address: string;
  severity: Severity;
  message: string;
  value?: unknown;
  by?: string;
  comment?: string;
}

/** A `history` query (every key optional). */
export interface AlarmQuery {
  from?: number;
  to?: number;
  address?: string;
  severity?: Severity;
  state?: AlarmState;
  event?: AlarmRecord['event'];
  limit?: number;
}

export interface AlarmsModule extends ModuleProxy {
  listAlarms(): Promise<AlarmListing[]>;
  ack(id: string, comment: string): Promise<AlarmRecord>;
  history(query: AlarmQuery): Promise<AlarmRecord[]>;
}

/** Every event after which the list of alarms may have changed. */
export const ALARM_LIST_EVENTS = [
  'alarmRaised',
  'alarmCleared',
  'alarmAcknowledged',
  'alarmInserted',
  'alarmUpdated',
  'alarmDeleted',
];

/** Active (raised and not cleared). */
export const isActiveState = (state: AlarmState): boolean => state.startsWith('active-');
/** Waiting for an acknowledgement. */
export const needsAck = (state: AlarmState): boolean => state.endsWith('-unacknowledged');

/** The header's count: active and unacknowledged alarms, and the most severe of those that need attention. */
export function alarmCount(list: readonly Pick<AlarmListing, 'state' | 'severity'>[]): {
  active: number;
  unacknowledged: number;
  worst: Severity | undefined;
} {
  const attention = list.filter((a) => a.state !== 'cleared');
  const worst = SEVERITIES.find((s) => attention.some((a) => a.severity === s));
  return {
    active: list.filter((a) => isActiveState(a.state)).length,
    unacknowledged: list.filter((a) => needsAck(a.state)).length,
    worst,
  };
}

/** The alarms the page lists on top (active or unacknowledged): most severe first, then newest. */
export function attentionOrder<T extends Pick<AlarmListing, 'state' | 'severity' | 'raisedAt'>>(
  list: readonly T[],
): T[] {
  return list
    .filter((a) => a.state !== 'cleared')
    .sort(
      (a, b) =>
        SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || (b.raisedAt ?? 0) - (a.raisedAt ?? 0),
    );
}

/** `active, unacknowledged` for `active-unacknowledged`. */
export function stateLabel(state: AlarmState): string {
  return state === 'cleared' ? 'cleared' : state.replace('-', ', ');
}

/** The header's text: `No alarms`, `2 active · 1 unacknowledged`. */
export function countLabel(count: { active: number; unacknowledged: number }): string {
  if (count.active === 0 && count.unacknowledged === 0) return 'No alarms';
  return [
    count.active > 0 ? `${count.active} active` : '',
    count.unacknowledged > 0 ? `${count.unacknowledged} unacknowledged` : '',
  ]
    .filter(Boolean)
    .join(' · ');
}
