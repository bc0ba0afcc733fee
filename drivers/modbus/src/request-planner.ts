/**
 * The request planner: the points of a poll group become the fewest read requests. Points of one
 * unit and table whose addresses are contiguous, overlapping or separated by at most `maxGap`
 * unused addresses share a request, as long as it stays within the protocol limits (125
 * registers, 2000 bits; Modbus Application Protocol V1.1b3, 6.1-6.4). Pure.
 */
import type { Table } from './schemas.js';

/** One thing to read: `count` registers (or bits) from `address` in `table` of `unit`. */
export interface PlanItem<K = string> {
  key: K;
  unit: number;
  table: Table;
  address: number;
  count: number;
}

/** One read request and the items it answers; `offset` is the item's position in the reply. */
export interface ReadRequest<K = string> {
  unit: number;
  table: Table;
  start: number;
  count: number;
  items: Array<{ item: PlanItem<K>; offset: number }>;
}

/** Limits of merging. */
export interface PlanLimits {
  /** Largest hole of unused registers bridged in one request. */
  maxGapRegisters: number;
  /** Largest hole of unused bits bridged in one request. */
  maxGapBits: number;
  /** Registers per request (at most 125). */
  maxRegisters: number;
  /** Bits per request (at most 2000). */
  maxBits: number;
}

/** The protocol's own limits, bridging no hole. */
export const PROTOCOL_LIMITS: PlanLimits = { maxGapRegisters: 0, maxGapBits: 0, maxRegisters: 125, maxBits: 2000 };

/** Whether `table` holds bits (coils, discrete inputs). */
export function isBitTable(table: Table): boolean {
  return table === 'coil' || table === 'discrete';
}

/**
 * Plan the reads of `items`. Items of one unit and table are sorted by address and merged
 * greedily (optimal for a fixed window). An item larger than the limit gets a request of its own.
 * Requests come out ordered by unit, table, address.
 */
export function planRequests<K>(items: ReadonlyArray<PlanItem<K>>, limits: PlanLimits): Array<ReadRequest<K>> {
  const groups = new Map<string, Array<PlanItem<K>>>();
  for (const item of items) {
    const id = `${item.unit}\u0000${item.table}`;
    const list = groups.get(id);
    if (list) list.push(item);
    else groups.set(id, [item]);
  }
  const order: Table[] = ['coil', 'discrete', 'input', 'holding'];
  const requests: Array<ReadRequest<K>> = [];
  const sortedGroups = [...groups.values()].sort(
    (a, b) => a[0]!.unit - b[0]!.unit || order.indexOf(a[0]!.table) - order.indexOf(b[0]!.table),
  );
  for (const group of sortedGroups) {
    const bits = isBitTable(group[0]!.table);
    const maxGap = bits ? limits.maxGapBits : limits.maxGapRegisters;
    const maxCount = bits ? limits.maxBits : limits.maxRegisters;
    const sorted = [...group].sort((a, b) => a.address - b.address || a.count - b.count);
    let current: ReadRequest<K> | undefined;
    for (const item of sorted) {
      const end = item.address + item.count;
      if (current) {
        const currentEnd = current.start + current.count;
        const gap = item.address - currentEnd;
        const span = Math.max(currentEnd, end) - current.start;
        if (gap <= maxGap && span <= maxCount) {
          current.count = span;
          current.items.push({ item, offset: item.address - current.start });
          continue;
        }
      }
      current = {
        unit: item.unit,
        table: item.table,
        start: item.address,
        count: item.count,
        items: [{ item, offset: 0 }],
      };
      requests.push(current);
    }
  }
  return requests;
}

/** A request that failed as a whole, split into one request per distinct item position. */
export function splitRequest<K>(request: ReadRequest<K>): Array<ReadRequest<K>> {
  return planRequests(
    request.items.map(({ item }) => item),
    { maxGapRegisters: -1, maxGapBits: -1, maxRegisters: 1, maxBits: 1 },
  );
}
