/**
 * Objects and properties as the schemas write them (`analog-input:1`, `present-value`) turned back
 * into numbers, without zod: the driver's process uses them, and loads its schemas only when it
 * must validate (docs/memory.md); schemas.ts re-exports them.
 */
import { objectTypes, properties, type ObjectRef } from './bacnet-names.js';

/** Largest device / object instance (2^22 - 2; 4 194 303 means "any"). */
export const MAX_INSTANCE = 4_194_302;

/** A canonical object text -> type and instance. */
export function parseObject(text: string): ObjectRef {
  const at = text.lastIndexOf(':');
  const type = text.slice(0, at);
  return {
    type: /^\d+$/.test(type) ? Number(type) : (objectTypes.number(type) ?? -1),
    instance: Number(text.slice(at + 1)),
  };
}

/** A canonical property text -> its number. */
export function parsePropertyId(text: string): number {
  return /^\d+$/.test(text) ? Number(text) : (properties.number(text) ?? -1);
}
