/**
 * WriteProperty on a simulated object's present-value: type checks, the priority array and
 * relinquish default of commandable objects, the range of a multi-state value. Changes the
 * object in place, or returns the BACnet error [class, code] a real device would answer.
 */
import bacnet from '../lib.js';
import { real, type SimObject } from './sim-objects.js';
import type { BACNetAppData } from '@bacnet-js/client';

const { PropertyIdentifier: P, ApplicationTag: Tag, ErrorClass, ErrorCode } = bacnet;

/** Write `value` into `object`: undefined when written, else the error [class, code]. */
export function writePresentValue(
  object: SimObject,
  value: { property: { id: number; index: number }; value: BACNetAppData[]; priority: number },
): [number, number] | undefined {
  if (value.property.id !== P.PRESENT_VALUE) return [ErrorClass.PROPERTY, ErrorCode.WRITE_ACCESS_DENIED];
  if (!object.writable) return [ErrorClass.PROPERTY, ErrorCode.WRITE_ACCESS_DENIED];
  const written = value.value[0];
  if (!written) return [ErrorClass.PROPERTY, ErrorCode.INVALID_DATA_TYPE];
  const isNull = written.type === Tag.NULL;
  if (
    !isNull &&
    (object.value.type === Tag.REAL ? typeof written.value !== 'number' : written.type !== object.value.type)
  ) {
    return [ErrorClass.PROPERTY, ErrorCode.INVALID_DATA_TYPE];
  }
  const typed = isNull ? null : object.value.type === Tag.REAL ? real(Number(written.value)) : written;
  if (object.priority && object.relinquish) {
    const priority = value.priority >= 1 && value.priority <= 16 ? value.priority : 16;
    object.priority[priority - 1] = typed;
    object.value = object.priority.find((slot) => slot !== null) ?? object.relinquish;
    return undefined;
  }
  if (!typed) return [ErrorClass.PROPERTY, ErrorCode.INVALID_DATA_TYPE];
  if (object.value.type === Tag.UNSIGNED_INTEGER && (Number(typed.value) < 1 || Number(typed.value) > 3)) {
    return [ErrorClass.PROPERTY, ErrorCode.VALUE_OUT_OF_RANGE];
  }
  object.value = typed;
  return undefined;
}
