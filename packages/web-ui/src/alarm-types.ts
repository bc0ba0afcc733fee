/**
 * The `alarms` module on `supervision` as the UI sees it (docs/alarms.md; its types are the
 * API's, `@weble/api`): severities and states in order, and the pure helpers of the alarms page
 * and the header count (counts, order, labels), tested in test/alarms-pure.test.ts.
 */
import type { AlarmListing, AlarmState, RemoteAlarms, Severity } from '@weble/api';

export type { AlarmListing, AlarmQuery, AlarmRecord, AlarmState, Severity } from '@weble/api';

/** The API's severities ({@link Severity}), most severe first. */
export const SEVERITIES = ['critical', 'major', 'minor', 'info'] as const satisfies readonly Severity[];
/** The API's states ({@link AlarmState}) in the order the filters offer them. */
export const ALARM_STATES = [
  'active-unacknowledged',
  'active-acknowledged',
  'cleared-unacknowledged',
  'cleared',
] as const satisfies readonly AlarmState[];

/** The `alarms` module (`@weble/api`). */
export type AlarmsModule = RemoteAlarms;

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
