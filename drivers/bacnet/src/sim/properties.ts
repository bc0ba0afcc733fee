/**
 * The simulated device's property table: what ReadProperty / ReadPropertyMultiple answer for
 * each property of a simulated object (whole property or one array element), or the BACnet
 * error [class, code] a real device would return.
 */
import bacnet from '../lib.js';
import { enumerated, real, type SimObject } from './sim-objects.js';
import type { BACNetAppData } from '@bacnet-js/client';

const { ObjectType: T, PropertyIdentifier: P, ApplicationTag: Tag, ErrorClass, ErrorCode } = bacnet;

/** Values of a property, or an error [class, code]. */
export type PropertyAnswer = BACNetAppData[] | [number, number];

/** What the property table needs to know of the device holding the object. */
export interface SimDeviceFacts {
  /** Every object of the device (its object-list). */
  objects: Iterable<SimObject>;
  maxApdu: number;
  segmentation: number;
}

/** Values of property `id` of `object` (`index` ASN1_ARRAY_ALL for the whole property), or an error [class, code]. */
export function propertyValues(device: SimDeviceFacts, object: SimObject, id: number, index: number): PropertyAnswer {
  const all = index === bacnet.ASN1_ARRAY_ALL;
  const array = (items: BACNetAppData[]): PropertyAnswer => {
    if (all) return items;
    if (index === 0) return [{ type: Tag.UNSIGNED_INTEGER, value: items.length }];
    const item = items[index - 1];
    return item ? [item] : [ErrorClass.PROPERTY, ErrorCode.INVALID_ARRAY_INDEX];
  };
  const scalar = (value: BACNetAppData): PropertyAnswer =>
    all ? [value] : [ErrorClass.PROPERTY, ErrorCode.PROPERTY_IS_NOT_AN_ARRAY];
  switch (id) {
    case P.OBJECT_IDENTIFIER:
      return scalar({ type: Tag.OBJECTIDENTIFIER, value: object.id });
    case P.OBJECT_NAME:
      return scalar({ type: Tag.CHARACTER_STRING, value: object.name });
    case P.OBJECT_TYPE:
      return scalar(enumerated(object.id.type));
    case P.OBJECT_LIST:
      if (object.id.type !== T.DEVICE) break;
      return array([...device.objects].map((item) => ({ type: Tag.OBJECTIDENTIFIER, value: item.id })));
    case P.VENDOR_IDENTIFIER:
      if (object.id.type !== T.DEVICE) break;
      return scalar({ type: Tag.UNSIGNED_INTEGER, value: 999 });
    case P.MAX_APDU_LENGTH_ACCEPTED:
      if (object.id.type !== T.DEVICE) break;
      return scalar({ type: Tag.UNSIGNED_INTEGER, value: device.maxApdu });
    case P.SEGMENTATION_SUPPORTED:
      if (object.id.type !== T.DEVICE) break;
      return scalar(enumerated(device.segmentation));
    case P.PRESENT_VALUE:
      if (object.id.type === T.DEVICE) break;
      return scalar(object.value);
    case P.STATUS_FLAGS:
      if (object.id.type === T.DEVICE) break;
      return scalar({ type: Tag.BIT_STRING, value: new bacnet.StatusFlagsBitString(...object.flags) });
    case P.UNITS:
      if (object.units === undefined) break;
      return scalar(enumerated(object.units));
    case P.PRIORITY_ARRAY:
      if (!object.priority) break;
      return array(object.priority.map((slot) => slot ?? { type: Tag.NULL, value: null }));
    case P.STATE_TEXT:
      if (!object.texts || object.id.type !== T.MULTI_STATE_VALUE) break;
      return array(object.texts.map((text) => ({ type: Tag.CHARACTER_STRING, value: text })));
    case P.ACTIVE_TEXT:
    case P.INACTIVE_TEXT:
      if (!object.texts || object.id.type === T.MULTI_STATE_VALUE) break;
      return scalar({ type: Tag.CHARACTER_STRING, value: object.texts[id === P.ACTIVE_TEXT ? 0 : 1]! });
    case P.MIN_PRES_VALUE:
    case P.MAX_PRES_VALUE:
      if (!object.limits) break;
      return scalar(real(object.limits[id === P.MIN_PRES_VALUE ? 0 : 1]));
    case P.RELINQUISH_DEFAULT:
      if (!object.relinquish) break;
      return scalar(object.relinquish);
  }
  return [ErrorClass.PROPERTY, ErrorCode.UNKNOWN_PROPERTY];
}

/** The answer is an error [class, code]. */
export function isError(values: PropertyAnswer): values is [number, number] {
  return typeof values[0] === 'number';
}
