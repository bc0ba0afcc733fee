import { describe, expect, it } from 'vitest';
import { describeOffline, UnitHealth } from '../src/unit-health.js';

describe('unit health', () => {
  it('skips a silent unit except one probe per retry period; an answer brings it back', () => {
    let now = 1000;
    const health = new UnitHealth(500, () => now);
    expect(health.shouldSend(3)).toBe(true);
    expect(health.silent(3, 'timeout')).toBe(true);
    expect(health.silent(3, 'timeout again')).toBe(false);
    expect(health.isOffline(3)).toBe(true);
    expect(health.shouldSend(3)).toBe(false);
    expect(health.shouldSend(4)).toBe(true);
    now = 1500;
    expect(health.shouldSend(3)).toBe(true); // the probe
    expect(health.shouldSend(3)).toBe(false); // one probe only
    expect(health.list()).toEqual([{ unit: 3, since: 1000, reason: 'timeout again', nextProbe: 2000 }]);
    expect(describeOffline(health.list())).toBe('unit 3 not answering since 1970-01-01T00:00:01.000Z (timeout again)');
    expect(health.answered(3)).toBe(true);
    expect(health.answered(3)).toBe(false);
    expect(health.shouldSend(3)).toBe(true);
  });
});
