import { describe, expect, it } from 'vitest';
import { LastValues, sameValue, valueToString } from '../src/values.js';
import { refreshPeriod } from '../src/definition.js';

describe('sameValue', () => {
  it('compares structurally', () => {
    expect(sameValue(1, 1)).toBe(true);
    expect(sameValue(NaN, NaN)).toBe(true);
    expect(sameValue(0, -0)).toBe(false);
    expect(sameValue(1, '1')).toBe(false);
    expect(sameValue({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toBe(true);
    expect(sameValue({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(sameValue([1, 2], { 0: 1, 1: 2 })).toBe(false);
    expect(sameValue(Buffer.from('ab'), Buffer.from('ab'))).toBe(true);
    expect(sameValue(Buffer.from('ab'), Buffer.from('ac'))).toBe(false);
    expect(sameValue(new Date(5), new Date(5))).toBe(true);
    expect(sameValue(new Date(5), 5)).toBe(false);
    expect(sameValue(null, {})).toBe(false);
  });
});

describe('valueToString', () => {
  it('gives the text form of each kind of value', () => {
    expect(valueToString(21.5)).toBe('21.5');
    expect(valueToString(true)).toBe('true');
    expect(valueToString('on')).toBe('on');
    expect(valueToString(null)).toBe('null');
    expect(valueToString({ a: [1] })).toBe('{"a":[1]}');
    expect(valueToString(Buffer.from([1, 255]))).toBe('01ff');
    expect(valueToString(new Date(0))).toBe('1970-01-01T00:00:00.000Z');
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(valueToString(cycle)).toBe('[object Object]');
  });
});

describe('LastValues', () => {
  it('reports a value only when it changed, for known keys, never undefined', () => {
    const emitted: unknown[][] = [];
    const date = new Date(1_000);
    const values = new LastValues(
      ['a', 'b'],
      (...args) => emitted.push(args),
      () => date,
    );
    expect(values.update('a', 1)).toBe(true);
    expect(values.update('a', 1)).toBe(false);
    expect(values.update('a', 2)).toBe(true);
    expect(values.update('b', { x: 1 })).toBe(true);
    expect(values.update('b', { x: 1 })).toBe(false);
    expect(values.update('c', 1)).toBe(false);
    expect(values.update('b', undefined)).toBe(false);
    expect(emitted).toEqual([
      ['a', 1, '1', date],
      ['a', 2, '2', date],
      ['b', { x: 1 }, '{"x":1}', date],
    ]);
    expect(values.reported).toBe(3);
    expect(values.get('a')).toEqual({ value: 2, string: '2', date });
    expect(values.has('c')).toBe(false);
  });

  it('reports an unchanged value once after invalidate (one key or all), then by exception again', () => {
    const emitted: unknown[] = [];
    const values = new LastValues(['a', 'b'], (key, value) => emitted.push(`${key}=${String(value)}`));
    values.update('a', 1);
    values.update('b', 2);
    values.invalidate('a');
    expect(values.update('a', 1)).toBe(true);
    expect(values.update('a', 1)).toBe(false);
    expect(values.update('b', 2)).toBe(false);
    values.invalidate();
    expect(values.update('a', 1)).toBe(true);
    expect(values.update('b', 2)).toBe(true);
    expect(values.update('b', 2)).toBe(false);
    expect(emitted).toEqual(['a=1', 'b=2', 'a=1', 'a=1', 'b=2']);
  });

  it('knows when each key was last read, changed or not (the hub tells a stuck point from a steady one)', () => {
    let now = 1_000;
    const values = new LastValues(
      ['a'],
      () => undefined,
      () => new Date(now),
    );
    expect(values.refreshedAt('a')).toBeUndefined();
    values.update('a', 1);
    now = 2_000;
    expect(values.update('a', 1)).toBe(false);
    expect(values.refreshedAt('a')).toBe(2_000);
    expect(values.get('a')?.date).toEqual(new Date(1_000));
    values.update('a', undefined);
    values.update('z', 1);
    expect(values.refreshedAt('a')).toBe(2_000);
    expect(values.refreshedAt('z')).toBeUndefined();
  });
});

describe('refreshPeriod', () => {
  const config = { pollMs: 500 };
  it("is the definition's refreshMs, else the kit's poll period for the points it polls", () => {
    expect(
      refreshPeriod({ refreshMs: (p: { ms?: number }, c: typeof config) => p.ms ?? c.pollMs }, { ms: 50 }, config),
    ).toBe(50);
    expect(refreshPeriod({ pollMs: (c: typeof config) => c.pollMs }, {}, config)).toBe(500);
    expect(
      refreshPeriod({ pollMs: (c: typeof config) => c.pollMs, isPolled: () => false }, {}, config),
    ).toBeUndefined();
    expect(
      refreshPeriod({ pollMs: (c: typeof config) => c.pollMs, poll: () => undefined }, {}, config),
    ).toBeUndefined();
    expect(refreshPeriod({}, {}, config)).toBeUndefined();
  });
});
