/**
 * BACnet enumerations as the names engineers write (`analog-input`, `present-value`,
 * `unknown-object`) and back. Built once from the enums copied
 * from the library (enums.ts: no BACnet stack loaded); pure lookups.
 */
import * as bacnet from './enums.js';

type NumericEnum = Record<string, string | number>;

/** `ANALOG_INPUT` -> `analog-input`. */
function kebab(name: string): string {
  return name.toLowerCase().replace(/_/g, '-');
}

/** Name <-> number of one enum, kebab-case names. */
class EnumNames {
  private readonly byName = new Map<string, number>();
  private readonly byNumber = new Map<number, string>();
  constructor(source: NumericEnum) {
    for (const [name, value] of Object.entries(source)) {
      if (typeof value !== 'number') continue;
      const nice = kebab(name);
      this.byName.set(nice, value);
      if (!this.byNumber.has(value)) this.byNumber.set(value, nice);
    }
  }
  /** The number of a kebab-case name (also accepts `ANALOG_INPUT` and `analog_input`), or undefined. */
  number(name: string): number | undefined {
    return this.byName.get(kebab(name.trim()));
  }
  /** The kebab-case name of `value`, or the number as text when it has none (proprietary values). */
  name(value: number): string {
    return this.byNumber.get(value) ?? String(value);
  }
  /** Every name (for error messages and docs). */
  names(): string[] {
    return [...this.byName.keys()];
  }
}

export const objectTypes = new EnumNames(bacnet.ObjectType as unknown as NumericEnum);
export const properties = new EnumNames(bacnet.PropertyIdentifier as unknown as NumericEnum);
export const errorClasses = new EnumNames(bacnet.ErrorClass as unknown as NumericEnum);
export const errorCodes = new EnumNames(bacnet.ErrorCode as unknown as NumericEnum);
export const abortReasons = new EnumNames(bacnet.AbortReason as unknown as NumericEnum);
export const rejectReasons = new EnumNames(bacnet.RejectReason as unknown as NumericEnum);
export const segmentations = new EnumNames(bacnet.Segmentation as unknown as NumericEnum);

/** A BACnet object: type number and instance (0 .. 4 194 302). */
export interface ObjectRef {
  type: number;
  instance: number;
}

/** `analog-value:12` (or `1023:5` for a proprietary type). */
export function formatObject(object: ObjectRef): string {
  return `${objectTypes.name(object.type)}:${object.instance}`;
}

/** `present-value`, `priority-array[8]`. */
export function formatProperty(property: number, index?: number): string {
  return index === undefined ? properties.name(property) : `${properties.name(property)}[${index}]`;
}
