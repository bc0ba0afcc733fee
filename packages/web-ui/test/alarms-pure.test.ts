/** The alarms page's and the header count's pure helpers: counts, the order of the list, labels. */
import { describe, expect, it } from 'vitest';
import { alarmCount, attentionOrder, countLabel, stateLabel } from '../src/alarm-types.js';

describe('alarm helpers', () => {
  const list = [
    { id: 'a', state: 'cleared', severity: 'critical', raisedAt: 5 },
    { id: 'b', state: 'active-acknowledged', severity: 'minor', raisedAt: 9 },
    { id: 'c', state: 'cleared-unacknowledged', severity: 'major', raisedAt: 3 },
    { id: 'd', state: 'active-unacknowledged', severity: 'minor', raisedAt: 10 },
  ] as const;

  it('counts active and unacknowledged alarms and finds the worst that needs attention', () => {
    expect(alarmCount(list)).toEqual({ active: 2, unacknowledged: 2, worst: 'major' });
    expect(alarmCount([])).toEqual({ active: 0, unacknowledged: 0, worst: undefined });
  });

  it('lists what needs attention, most severe first, then newest', () => {
    expect(attentionOrder(list).map((a) => a.id)).toEqual(['c', 'd', 'b']);
  });

  it('labels states and counts', () => {
    expect(stateLabel('active-unacknowledged')).toBe('active, unacknowledged');
    expect(stateLabel('cleared')).toBe('cleared');
    expect(countLabel({ active: 0, unacknowledged: 0 })).toBe('No alarms');
    expect(countLabel({ active: 2, unacknowledged: 1 })).toBe('2 active · 1 unacknowledged');
    expect(countLabel({ active: 0, unacknowledged: 1 })).toBe('1 unacknowledged');
  });
});
