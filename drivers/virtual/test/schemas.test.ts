import { formatIssues, type z } from '@weble/driver-kit';
import { describe, expect, it } from 'vitest';
import { configSchema, initialValue, pointSchema, valueSchemaOf } from '../src/schemas.js';

function problems(schema: z.ZodType, value: unknown): string[] {
  const result = schema.safeParse(value);
  return result.success ? [] : formatIssues(result.error.issues);
}

describe('virtual schemas', () => {
  it('defaults tickMs and refuses unknown fields', () => {
    expect(configSchema.parse({})).toEqual({ tickMs: 1_000 });
    expect(problems(configSchema, { tickMs: 1, tick: 5 })).toEqual([
      'tickMs: Too small: expected number to be >=5',
      '(root): Unrecognized key: "tick"',
    ]);
  });

  it('accepts each point type and its simulations', () => {
    for (const point of [
      { type: 'number', initial: 1.5 },
      { type: 'number', simulate: { kind: 'sine', min: 0, max: 1, periodMs: 10, phase: 0.5 } },
      { type: 'number', simulate: { kind: 'random-walk', min: 0, max: 1, step: 0.1 } },
      { type: 'boolean', simulate: { kind: 'toggle', periodMs: 10 } },
      { type: 'string', initial: 'x' },
      { type: 'json', initial: { a: [1, null] } },
    ]) {
      expect(problems(pointSchema, point)).toEqual([]);
    }
  });

  it('names what is wrong in a point', () => {
    expect(problems(pointSchema, { type: 'boolean', initial: 1 })).toEqual([
      'initial: expected boolean, received number',
    ]);
    expect(problems(pointSchema, { type: 'number', simulate: { kind: 'sine', min: 3, max: 3, periodMs: 10 } })).toEqual(
      ['simulate.max: must be greater than min (3)'],
    );
    expect(problems(pointSchema, { type: 'number', simulate: { kind: 'square' } })).toEqual([
      'simulate.kind: expected one of "sine" | "random-walk"',
    ]);
    expect(problems(pointSchema, { type: 'string', simulate: { kind: 'toggle', periodMs: 1 } })).toEqual([
      '(root): Unrecognized key: "simulate"',
    ]);
  });

  it('checks values by point type', () => {
    expect(valueSchemaOf({ type: 'number' }).safeParse(1).success).toBe(true);
    expect(valueSchemaOf({ type: 'number' }).safeParse(Infinity).success).toBe(false);
    expect(valueSchemaOf({ type: 'boolean' }).safeParse('true').success).toBe(false);
    expect(valueSchemaOf({ type: 'json' }).safeParse({ a: [1, 'b', null] }).success).toBe(true);
  });

  it('starts each point at initial, or at the zero of its type (a copy)', () => {
    const initial = { a: [1] };
    const value = initialValue({ type: 'json', initial });
    expect(value).toEqual(initial);
    expect(value).not.toBe(initial);
    expect(['number', 'boolean', 'string', 'json'].map((type) => initialValue({ type } as never))).toEqual([
      0,
      false,
      '',
      null,
    ]);
  });
});
