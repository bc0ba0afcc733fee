import { describe, expect, it } from 'vitest';
import { MAX_STEPS, sineAt, toggleAt, walkStart, walkTo } from '../src/simulation.js';

describe('sineAt', () => {
  const sine = { kind: 'sine', min: 10, max: 30, periodMs: 1_000 } as const;
  it('goes from the middle to max, middle, min over a period', () => {
    expect([0, 250, 500, 750, 1_000].map((t) => sineAt(sine, t))).toEqual([20, 30, 20, 10, 20]);
  });
  it('shifts by the phase and keeps 3 decimals', () => {
    expect(sineAt({ ...sine, phase: 0.25 }, 0)).toBe(30);
    expect(sineAt(sine, 1)).toBe(20.063);
  });
});

describe('toggleAt', () => {
  it('is false for the first half period, then true', () => {
    const toggle = { kind: 'toggle', periodMs: 100 } as const;
    expect([0, 49, 50, 99, 100].map((t) => toggleAt(toggle, t))).toEqual([false, false, true, true, false]);
  });
});

describe('random walk', () => {
  const walk = { kind: 'random-walk', min: 0, max: 10, step: 1 } as const;
  it('starts in the middle (or at start) and steps once per whole tick', () => {
    const state = walkStart(walk, 1_000);
    expect(state).toEqual({ value: 5, at: 1_000 });
    expect(walkStart({ ...walk, start: 2 }, 0).value).toBe(2);
    expect(walkTo(walk, state, 1_099, 100, () => 1)).toBe(state);
    expect(walkTo(walk, state, 1_250, 100, () => 1)).toEqual({ value: 7, at: 1_200 });
    expect(walkTo(walk, state, 1_100, 100, () => 0.25)).toEqual({ value: 4.5, at: 1_100 });
  });
  it('stays within [min, max] and caps the steps after a long pause', () => {
    let randoms = 0;
    const state = walkTo(walk, walkStart(walk, 0), 10_000_000, 1, () => (randoms++, 0));
    expect(state.value).toBe(0);
    expect(randoms).toBe(MAX_STEPS);
    expect(walkTo(walk, { value: 9.5, at: 0 }, 1, 1, () => 1).value).toBe(10);
  });
});
