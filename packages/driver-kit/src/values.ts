/**
 * Report by exception: the last value of each address, and `newValue` only when a value differs
 * from the last one reported. Values are compared structurally (numbers with Object.is, so a
 * NaN repeated is no change; objects and arrays deeply; bytes byte by byte; dates by time).
 */

/** The last reported value of an address. */
export interface ValueRecord {
  value: unknown;
  /** The value as text: numbers and booleans as `String()`, objects as JSON, bytes as hex. */
  string: string;
  /** When the value was reported. */
  date: Date;
}

/** Called once per changed value. */
export type EmitValue = (key: string, value: unknown, valueString: string, valueDate: Date) => void;

/** The text form sent as `value_string`. */
export function valueToString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  if (value === null || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex');
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Structural equality of two values as the mesh would carry them. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (a instanceof Date || b instanceof Date)
    return a instanceof Date && b instanceof Date && Object.is(a.getTime(), b.getTime());
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    return a instanceof Uint8Array && b instanceof Uint8Array && Buffer.compare(a, b) === 0;
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => sameValue(item, b[i]));
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every(
    (k) =>
      Object.prototype.hasOwnProperty.call(b, k) &&
      sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
  );
}

/** The last values of a fixed set of keys; reports a value only when it changed. */
export class LastValues {
  private readonly records = new Map<string, ValueRecord>();
  private readonly keys: ReadonlySet<string>;
  /** Keys whose next value is reported even when unchanged (after the device or a read failed). */
  private readonly stale = new Set<string>();
  /** When each key was last read (ms), changed or not: the hub asks it to tell a stuck point from a steady one. */
  private readonly reads = new Map<string, number>();
  private count = 0;

  constructor(
    keys: Iterable<string>,
    private readonly emit: EmitValue,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.keys = new Set(keys);
  }

  /** Whether `key` is one of this gateway's addresses. */
  has(key: string): boolean {
    return this.keys.has(key);
  }

  /** The last reported value of `key`, if any. */
  get(key: string): ValueRecord | undefined {
    return this.records.get(key);
  }

  /** When `key` was last read or written (ms, changed or not), if ever. */
  refreshedAt(key: string): number | undefined {
    return this.reads.get(key);
  }

  /** `key` was read but its value is not reported (within a driver's deadband): it is fresh all the same. */
  markRead(key: string): void {
    if (this.keys.has(key)) this.reads.set(key, this.now().getTime());
  }

  /** How many values were reported. */
  get reported(): number {
    return this.count;
  }

  /**
   * Report the next value of `key` (of every key without one) even if it equals the last one: the
   * hub marked it stale or bad and needs a fresh value to call it good again.
   */
  invalidate(key?: string): void {
    if (key === undefined) for (const k of this.records.keys()) this.stale.add(k);
    else if (this.records.has(key)) this.stale.add(key);
  }

  /**
   * Record `value` for `key`, and report it when it differs from the last one. `undefined` means
   * "unknown" and is never reported. Returns whether it was reported.
   */
  update(key: string, value: unknown): boolean {
    if (!this.keys.has(key) || value === undefined) return false;
    this.reads.set(key, this.now().getTime());
    const last = this.records.get(key);
    if (last && sameValue(last.value, value) && !this.stale.has(key)) return false;
    this.stale.delete(key);
    const record: ValueRecord = { value, string: valueToString(value), date: this.now() };
    this.records.set(key, record);
    this.count++;
    this.emit(key, value, record.string, record.date);
    return true;
  }
}
