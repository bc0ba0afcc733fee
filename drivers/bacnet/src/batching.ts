/**
 * ReadPropertyMultiple batching: the points of one device, grouped by object, cut into requests
 * whose answers fit the device's max APDU (so no segmentation is needed). Sizes are estimates of
 * the encoded answer (BACnet clause 15.7, ReadAccessResult). Pure.
 */
import bacnet from './lib.js';
import type { ObjectRef } from './bacnet-names.js';

const Prop = bacnet.PropertyIdentifier;

/** One property to read. */
export interface ReadItem {
  object: ObjectRef;
  property: number;
  /** Array index; undefined: the whole property. */
  index?: number | undefined;
}

/** Bytes of a ComplexACK header. */
const ACK_HEADER = 3;
/** Object identifier (5) plus the opening and closing tags of its results (2). */
const OBJECT_OVERHEAD = 7;

/** Estimated encoded size of one property's result in an RPM answer, bytes. */
export function resultSize(item: ReadItem): number {
  const head = 3 + (item.index === undefined ? 0 : 5) + 2; // property id, array index, opening/closing tag 4
  if (item.index !== undefined) return head + 10;
  switch (item.property) {
    case Prop.PRIORITY_ARRAY:
      return head + 16 * 5;
    case Prop.OBJECT_NAME:
    case Prop.DESCRIPTION:
      return head + 66;
    case Prop.OBJECT_LIST:
    case Prop.STATE_TEXT:
      return head + 400;
    default:
      return head + 10;
  }
}

/** The same object? */
function sameObject(a: ObjectRef, b: ObjectRef): boolean {
  return a.type === b.type && a.instance === b.instance;
}

/**
 * Cut `items` into batches whose estimated answer fits `maxApdu` bytes, keeping the items of
 * one object together where they fit, at most `maxItems` items per batch. An item too large
 * alone gets a batch of its own. Order within the result follows the input grouped by object.
 */
export function planBatches<T extends ReadItem>(items: readonly T[], maxApdu: number, maxItems = 64): T[][] {
  const byObject: T[][] = [];
  for (const item of items) {
    const group = byObject.find((candidate) => candidate[0] && sameObject(candidate[0].object, item.object));
    if (group) group.push(item);
    else byObject.push([item]);
  }
  const batches: T[][] = [];
  let current: T[] = [];
  let size = ACK_HEADER;
  let lastObject: ObjectRef | undefined;
  const flush = (): void => {
    if (current.length > 0) batches.push(current);
    current = [];
    size = ACK_HEADER;
    lastObject = undefined;
  };
  for (const group of byObject) {
    for (const item of group) {
      const extra = resultSize(item) + (lastObject && sameObject(lastObject, item.object) ? 0 : OBJECT_OVERHEAD);
      if (current.length > 0 && (size + extra > maxApdu || current.length >= maxItems)) flush();
      const cost = resultSize(item) + (lastObject && sameObject(lastObject, item.object) ? 0 : OBJECT_OVERHEAD);
      current.push(item);
      size += cost;
      lastObject = item.object;
    }
  }
  flush();
  return batches;
}
