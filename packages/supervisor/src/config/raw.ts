/**
 * Reading a site document before (or although) it passed the schema. Driver checks and cross
 * checks run on the raw document so that every problem is reported in one pass: an entry with a
 * malformed field is skipped by a check that needs the field, never a reason to stop.
 */
import { gatewayIdSchema } from '@weble/driver-kit';

/** A plain object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The entries of a list section with their index; nothing when the section is not a list. */
export function entries(document: unknown, section: string): Array<[number, Record<string, unknown>]> {
  const list = isRecord(document) ? document[section] : undefined;
  if (!Array.isArray(list)) return [];
  return list.flatMap((item: unknown, index) =>
    isRecord(item) ? [[index, item] as [number, Record<string, unknown>]] : [],
  );
}

/** A string field, or undefined when absent or not a string. */
export function stringField(entry: Record<string, unknown>, field: string): string | undefined {
  const value = entry[field];
  return typeof value === 'string' ? value : undefined;
}

/**
 * The identity of a gateway or route id: `1` and `"1"` are the same id (both run as
 * `driver_<type>_1`). Undefined when the id is not valid.
 */
export function idKey(value: unknown): string | undefined {
  return gatewayIdSchema.safeParse(value).success ? String(value) : undefined;
}

/** `1` or `"boiler"`, as an id is shown in messages. */
export function showId(value: unknown): string {
  return typeof value === 'number' ? String(value) : JSON.stringify(value);
}
