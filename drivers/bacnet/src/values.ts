/**
 * BACnet application data <-> the values points carry on the mesh. Pure.
 *
 * - REAL is float32 on the wire: it is reported as the shortest decimal that reads back as the same
 *   float32 (11.2, not 11.199999809265137), which loses nothing.
 * - The present-value of binary objects is reported as a boolean (active = true).
 * - status-flags are `{ inAlarm, fault, overridden, outOfService }`.
 */
import * as bacnet from './enums.js';
import type { BACNetAppData } from '@bacnet-js/client';
import { formatObject, type ObjectRef } from './bacnet-names.js';

const Tag = bacnet.ApplicationTag;
const Type = bacnet.ObjectType;
const Prop = bacnet.PropertyIdentifier;

/** The status-flags of an object (BACnet clause 12, StatusFlags). */
export interface StatusFlags {
  inAlarm: boolean;
  fault: boolean;
  overridden: boolean;
  outOfService: boolean;
}

/** A point's value with its status flags (points with `status: true`). */
export interface ValueWithStatus {
  value: unknown;
  flags: StatusFlags;
}

/** Shortest decimal whose float32 is `x`'s float32. */
export function float32ToNumber(x: number): number {
  if (!Number.isFinite(x)) return x;
  const single = Math.fround(x);
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = Number(single.toPrecision(digits));
    if (Math.fround(candidate) === single) return candidate;
  }
  return single;
}

/** Whether bit `index` of a BACnet bit string (as the library holds it) is set. */
export function bitIsSet(bits: { value: number[] }, index: number): boolean {
  return ((bits.value[index >> 3] ?? 0) & (1 << (index & 7))) !== 0;
}

/** status-flags bit string -> {@link StatusFlags}. */
export function decodeStatusFlags(bits: { value: number[] }): StatusFlags {
  return {
    inAlarm: bitIsSet(bits, bacnet.StatusFlags.IN_ALARM),
    fault: bitIsSet(bits, bacnet.StatusFlags.FAULT),
    overridden: bitIsSet(bits, bacnet.StatusFlags.OVERRIDDEN),
    outOfService: bitIsSet(bits, bacnet.StatusFlags.OUT_OF_SERVICE),
  };
}

/** Whether the object's present-value is binary (active/inactive). */
export function isBinaryObject(type: number): boolean {
  return (
    type === Type.BINARY_INPUT ||
    type === Type.BINARY_OUTPUT ||
    type === Type.BINARY_VALUE ||
    type === Type.BINARY_LIGHTING_OUTPUT
  );
}

/** Whether the object's present-value is an analog number (REAL). */
export function isAnalogObject(type: number): boolean {
  return type === Type.ANALOG_INPUT || type === Type.ANALOG_OUTPUT || type === Type.ANALOG_VALUE;
}

/** Whether the object's present-value is a multi-state number (unsigned, from 1). */
export function isMultiStateObject(type: number): boolean {
  return type === Type.MULTI_STATE_INPUT || type === Type.MULTI_STATE_OUTPUT || type === Type.MULTI_STATE_VALUE;
}

/** Whether a bit string is status-flags (the only 4-bit string points commonly read). */
function isBitString(value: unknown): value is { bitsUsed: number; value: number[] } {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as { value?: unknown }).value) &&
    typeof (value as { bitsUsed?: unknown }).bitsUsed === 'number'
  );
}

/** One application value -> a mesh value. */
export function decodeOne(data: BACNetAppData, context: { object?: ObjectRef; property?: number } = {}): unknown {
  const value = data.value as unknown;
  switch (data.type) {
    case Tag.NULL:
      return null;
    case Tag.REAL:
      return float32ToNumber(value as number);
    case Tag.ENUMERATED:
      if (context.property === Prop.PRESENT_VALUE && context.object && isBinaryObject(context.object.type))
        return value === 1;
      return value;
    case Tag.BIT_STRING:
      if (context.property === Prop.STATUS_FLAGS && isBitString(value)) return decodeStatusFlags(value);
      return isBitString(value) ? Array.from({ length: value.bitsUsed }, (_, i) => bitIsSet(value, i)) : value;
    case Tag.OBJECTIDENTIFIER:
      return formatObject(value as ObjectRef);
    case Tag.OCTET_STRING:
      return Array.isArray(value) ? Uint8Array.from(value as number[]) : value;
    case Tag.DATE:
    case Tag.TIME:
      return value instanceof Date ? value.toISOString() : value;
    default:
      return value;
  }
}

/**
 * The values of one property -> a mesh value: one value as itself, several (arrays, lists) as an
 * array, none as null.
 */
export function decodeValues(
  values: readonly BACNetAppData[],
  context: { object?: ObjectRef; property?: number; array?: boolean } = {},
): unknown {
  const decoded = values.map((item) => decodeOne(item, context));
  if (context.array) return decoded;
  if (decoded.length === 0) return null;
  return decoded.length === 1 ? decoded[0] : decoded;
}

/** Names of the application tags a point may force for writes. */
export const WRITE_TAGS = {
  null: Tag.NULL,
  boolean: Tag.BOOLEAN,
  unsigned: Tag.UNSIGNED_INTEGER,
  signed: Tag.SIGNED_INTEGER,
  real: Tag.REAL,
  double: Tag.DOUBLE,
  string: Tag.CHARACTER_STRING,
  enumerated: Tag.ENUMERATED,
} as const;

/** A write tag name. */
export type WriteTag = keyof typeof WRITE_TAGS;

/** The tag a write of `value` to `object`'s `property` uses when the point does not name one. */
export function defaultWriteTag(object: ObjectRef, property: number, value: unknown): WriteTag {
  if (value === null) return 'null';
  if (property === Prop.PRESENT_VALUE || property === Prop.RELINQUISH_DEFAULT) {
    if (isAnalogObject(object.type)) return 'real';
    if (isBinaryObject(object.type)) return 'enumerated';
    if (isMultiStateObject(object.type)) return 'unsigned';
  }
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'string') return 'string';
  return Number.isInteger(value) ? 'unsigned' : 'real';
}

/** A checked mesh value -> the application value written (null: relinquish). */
export function encodeWrite(value: unknown, tag: WriteTag): BACNetAppData {
  if (value === null) return { type: Tag.NULL, value: null };
  if (tag === 'enumerated' && typeof value === 'boolean') return { type: Tag.ENUMERATED, value: value ? 1 : 0 };
  if (tag === 'boolean') return { type: Tag.BOOLEAN, value: Boolean(value) };
  if (tag === 'string') return { type: Tag.CHARACTER_STRING, value: String(value) };
  return { type: WRITE_TAGS[tag], value: Number(value) } as BACNetAppData;
}
