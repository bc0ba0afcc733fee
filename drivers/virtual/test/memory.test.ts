import { describe, expect, it } from 'vitest';
import { VirtualMemory } from '../src/memory.js';
import type { VirtualPoint } from '../src/schemas.js';

const points: Record<string, VirtualPoint> = {
  n: { type: 'number', initial: 2 },
  j: { type: 'json' },
  sine: { type: 'number', simulate: { kind: 'sine', min: 0, max: 10, periodMs: 1_000 } },
  walk: { type: 'number', simulate: { kind: 'random-walk', min: 0, max: 10, step: 1 } },
  toggle: { type: 'boolean', simulate: { kind: 'toggle', periodMs: 100 } },
};

describe('VirtualMemory', () => {
  it('holds written values and samples simulated points at the time of the read', () => {
    let clock = 0;
    const memory = new VirtualMemory(
      Object.entries(points).map(([key, point]) => ({ key, point })),
      { tickMs: 100, now: () => clock, random: () => 1 },
    );
    expect(memory.read('n', points.n!)).toBe(2);
    expect(memory.read('j', points.j!)).toBeNull();
    const value = { a: 1 };
    memory.write('j', points.j!, value);
    value.a = 2;
    expect(memory.read('j', points.j!)).toEqual({ a: 1 });
    clock = 250;
    expect(memory.read('sine', points.sine!)).toBe(10);
    expect(memory.read('walk', points.walk!)).toBe(7);
    expect(memory.read('walk', points.walk!)).toBe(7);
    expect(memory.read('toggle', points.toggle!)).toBe(true); // 250 ms: the second half of the third period
  });

  it('refuses writes to simulated points', () => {
    const memory = new VirtualMemory([{ key: 'sine', point: points.sine! }], { tickMs: 100 });
    expect(() => memory.write('sine', points.sine!, 1)).toThrow(expect.objectContaining({ code: 'DRIVER_READ_ONLY' }));
  });
});
