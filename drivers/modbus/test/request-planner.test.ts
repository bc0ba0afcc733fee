import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planRequests, PROTOCOL_LIMITS, splitRequest, type PlanItem } from '../src/request-planner.js';
import type { Table } from '../src/schemas.js';

const limits = { maxGapRegisters: 4, maxGapBits: 16, maxRegisters: 125, maxBits: 2000 };
const item = (key: string, address: number, count = 1, table: Table = 'holding', unit = 1): PlanItem => ({
  key,
  unit,
  table,
  address,
  count,
});
const shape = (requests: ReturnType<typeof planRequests>) =>
  requests.map((r) => [r.unit, r.table, r.start, r.count, r.items.map((i) => `${i.item.key}@${i.offset}`).join(',')]);

describe('request planner', () => {
  it('merges contiguous, overlapping and near addresses; splits at larger gaps', () => {
    const plan = planRequests(
      [item('c', 10, 2), item('a', 0), item('b', 1, 4), item('d', 12), item('e', 17), item('f', 23)],
      limits,
    );
    expect(shape(plan)).toEqual([
      [1, 'holding', 0, 5, 'a@0,b@1'],
      [1, 'holding', 10, 8, 'c@0,d@2,e@7'],
      [1, 'holding', 23, 1, 'f@0'],
    ]);
  });

  it('keeps units and tables apart, in a stable order', () => {
    const plan = planRequests(
      [
        item('h2', 0, 1, 'holding', 2),
        item('c', 0, 1, 'coil'),
        item('i', 1, 1, 'input'),
        item('h', 1),
        item('d', 0, 1, 'discrete'),
      ],
      limits,
    );
    expect(shape(plan).map((r) => `${r[0]}:${r[1]}`)).toEqual([
      '1:coil',
      '1:discrete',
      '1:input',
      '1:holding',
      '2:holding',
    ]);
  });

  it('stays within 125 registers and 2000 bits', () => {
    const regs = Array.from({ length: 300 }, (_, i) => item(`r${i}`, i));
    expect(planRequests(regs, limits).map((r) => r.count)).toEqual([125, 125, 50]);
    const bits = Array.from({ length: 4500 }, (_, i) => item(`b${i}`, i, 1, 'coil'));
    expect(planRequests(bits, limits).map((r) => r.count)).toEqual([2000, 2000, 500]);
    const float64s = Array.from({ length: 40 }, (_, i) => item(`f${i}`, i * 4, 4));
    expect(planRequests(float64s, limits).map((r) => r.count)).toEqual([124, 36]); // a value never straddles two requests
  });

  it('the protocol limits bridge no gap', () => {
    expect(planRequests([item('a', 0), item('b', 2)], PROTOCOL_LIMITS)).toHaveLength(2);
  });

  it('property: every item is in exactly one request that covers it, within the limits', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            address: fc.integer({ min: 0, max: 2000 }),
            count: fc.constantFrom(1, 2, 4),
            table: fc.constantFrom<Table>('coil', 'holding', 'input'),
            unit: fc.integer({ min: 1, max: 3 }),
          }),
          { maxLength: 200 },
        ),
        fc.integer({ min: 0, max: 20 }),
        (specs, gap) => {
          const items = specs.map((s, i) =>
            item(`k${i}`, s.address, s.table === 'coil' ? 1 : s.count, s.table, s.unit),
          );
          const plan = planRequests(items, { ...limits, maxGapRegisters: gap, maxGapBits: gap });
          const seen = new Map<string, number>();
          for (const request of plan) {
            expect(request.count).toBeLessThanOrEqual(request.table === 'coil' ? 2000 : 125);
            for (const { item: it, offset } of request.items) {
              seen.set(it.key, (seen.get(it.key) ?? 0) + 1);
              expect([it.unit, it.table]).toEqual([request.unit, request.table]);
              expect(offset).toBe(it.address - request.start);
              expect(offset + it.count).toBeLessThanOrEqual(request.count);
            }
          }
          expect(seen.size).toBe(items.length);
          expect([...seen.values()].every((n) => n === 1)).toBe(true);
        },
      ),
    );
  });

  it('splits a failed merged request into one request per item', () => {
    const [merged] = planRequests([item('a', 0), item('b', 3, 2)], limits);
    expect(shape(splitRequest(merged!))).toEqual([
      [1, 'holding', 0, 1, 'a@0'],
      [1, 'holding', 3, 2, 'b@0'],
    ]);
  });
});
