/**
 * Sparkplug metric datatypes from point types (spec §6.4.16), and values converted to fit them.
 * A point's `type` (`float32`, `int16`, `bool`, `number`, `string`...) decides; without one, the
 * first value does. Pure.
 */
import type { TypeStr } from 'sparkplug-payload/lib/sparkplugbpayload.js';

/** Datatypes the bridge uses. */
export type MetricType = Extract<
  TypeStr,
  | 'Int8'
  | 'Int16'
  | 'Int32'
  | 'Int64'
  | 'UInt8'
  | 'UInt16'
  | 'UInt32'
  | 'UInt64'
  | 'Float'
  | 'Double'
  | 'Boolean'
  | 'String'
  | 'DateTime'
>;

const BY_POINT_TYPE: Record<string, MetricType> = {
  bool: 'Boolean',
  boolean: 'Boolean',
  bit: 'Boolean',
  int8: 'Int8',
  int16: 'Int16',
  int32: 'Int32',
  int64: 'Int64',
  uint8: 'UInt8',
  uint16: 'UInt16',
  uint32: 'UInt32',
  uint64: 'UInt64',
  float: 'Float',
  float32: 'Float',
  real: 'Float',
  double: 'Double',
  float64: 'Double',
  number: 'Double',
  string: 'String',
  text: 'String',
  json: 'String',
  date: 'DateTime',
  datetime: 'DateTime',
};

/** The datatype of an address: from its point's `type`, else from a value. */
export function metricType(point: unknown, value: unknown): MetricType {
  const type = typeof point === 'object' && point !== null ? (point as { type?: unknown }).type : undefined;
  if (typeof type === 'string' && BY_POINT_TYPE[type.toLowerCase()]) return BY_POINT_TYPE[type.toLowerCase()]!;
  if (typeof value === 'boolean') return 'Boolean';
  if (typeof value === 'number') return 'Double';
  if (value instanceof Date) return 'DateTime';
  return 'String';
}

/** A value as the datatype carries it; null when it does not fit (sent with is_null). */
export function metricValue(type: MetricType, value: unknown): number | boolean | string | null {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'Boolean':
      return typeof value === 'boolean' ? value : typeof value === 'number' ? value !== 0 : null;
    case 'String':
      return typeof value === 'string' ? value : JSON.stringify(value);
    case 'DateTime':
      return value instanceof Date ? value.getTime() : typeof value === 'number' ? value : null;
    case 'Float':
    case 'Double':
      return typeof value === 'number' ? value : typeof value === 'boolean' ? Number(value) : null;
    default: {
      const n = typeof value === 'boolean' ? Number(value) : value;
      return typeof n === 'number' && Number.isFinite(n) ? Math.trunc(n) : null;
    }
  }
}

/** A number from a decoded protobuf field (a number or a Long). */
export function longToNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'object' && value !== null && typeof (value as { toNumber?: unknown }).toNumber === 'function') {
    return (value as { toNumber(): number }).toNumber();
  }
  return undefined;
}
