/**
 * Plain-mode payloads: values out as JSON `{value, quality, ts}`, writes in as JSON `{value, id?}`,
 * write results out as `{ok, id?, code?, error?}`. Pure; a bad command is a coded error, never a throw.
 */
import { NorthboundCode, NorthboundError } from '../errors.js';
import type { Quality } from '../quality.js';

/** One value of an address, as buffered and published. */
export interface Sample {
  /** Address key. */
  key: string;
  value: unknown;
  quality: Quality;
  /** Source time, ms since the epoch. */
  ts: number;
}

/** The JSON payload of a value message. */
export function encodeValue(sample: Sample): Buffer {
  return Buffer.from(JSON.stringify({ value: sample.value ?? null, quality: sample.quality, ts: sample.ts }));
}

/** A write asked for on `<topic>/set`. */
export interface SetCommand {
  value: unknown;
  /** Echoed in the result, to match it to the command. */
  id?: string | number;
}

/** Parse a `<topic>/set` payload: a JSON object with `value` and optionally `id` (string or number). */
export function parseSetCommand(payload: Uint8Array, topic: string): SetCommand | NorthboundError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(payload).toString('utf8'));
  } catch (error) {
    return new NorthboundError(
      NorthboundCode.BAD_COMMAND,
      `${topic}: not JSON (${(error as Error).message}); expected {"value": ...}`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || !('value' in parsed)) {
    return new NorthboundError(
      NorthboundCode.BAD_COMMAND,
      `${topic}: expected a JSON object with "value", like {"value": 21.5}`,
    );
  }
  const { value, id } = parsed as { value: unknown; id?: unknown };
  if (id !== undefined && typeof id !== 'string' && typeof id !== 'number') {
    return new NorthboundError(NorthboundCode.BAD_COMMAND, `${topic}: "id" must be a string or a number`);
  }
  return id === undefined ? { value } : { value, id };
}

/** The result of a write, published on `<topic>/set/result`. */
export function encodeSetResult(
  id: string | number | undefined,
  error: { code?: unknown; message: string } | null,
): Buffer {
  const base = id === undefined ? {} : { id };
  const body = error
    ? {
        ...base,
        ok: false,
        code: typeof error.code === 'string' ? error.code : NorthboundCode.WRITE_FAILED,
        error: error.message,
      }
    : { ...base, ok: true };
  return Buffer.from(JSON.stringify(body));
}
