/**
 * Every error a driver raises through the driver-kit, declared once. Each code is documented in the
 * package README (a test checks that), and every message names the key, the gateway and what was
 * wrong. Errors cross the mesh with their name, message and code.
 */
import { CodedError } from '@weble/peers-core/core';
export const DriverCode = {
  /** No configuration: no `weble:config` IPC message in time, no `WEBLE_CONFIG`, no `--config`. */
  NO_CONFIG: 'DRIVER_NO_CONFIG',
  /** The configuration (or the environment) failed the driver's schemas; the message lists every problem. */
  BAD_CONFIG: 'DRIVER_BAD_CONFIG',
  /** A call named an address key this gateway does not have. */
  UNKNOWN_ADDRESS: 'DRIVER_UNKNOWN_ADDRESS',
  /** A written value does not fit the point (wrong type, out of range). */
  BAD_VALUE: 'DRIVER_BAD_VALUE',
  /** A call with missing or malformed arguments (a key that is not a string, no value). */
  BAD_ARGUMENT: 'DRIVER_BAD_ARGUMENT',
  /** The point cannot be written. */
  READ_ONLY: 'DRIVER_READ_ONLY',
  /** The device is not connected now (the driver is reconnecting). */
  OFFLINE: 'DRIVER_OFFLINE',
  /** Raised by a driver's read/write when the device link is gone: the kit reconnects. */
  CONNECTION_LOST: 'DRIVER_CONNECTION_LOST',
  /** A device operation failed for another reason; the message carries the device's error. */
  DEVICE_ERROR: 'DRIVER_DEVICE_ERROR',
  /** The driver is stopping and takes no more calls. */
  STOPPED: 'DRIVER_STOPPED',
} as const;

/** One of the {@link DriverCode} values. */
export type DriverErrorCode = (typeof DriverCode)[keyof typeof DriverCode];

/** The one error class of drivers. `code` is one of {@link DriverCode}. */
export class DriverError extends CodedError<DriverErrorCode> {
  override name = 'DriverError';
}

/** Whether `error` carries `code` (works for errors that came over the mesh, too). */
export function hasCode(error: unknown, code: DriverErrorCode): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

/** A short description of a value's type for messages: `string ("abc")`, `number (NaN)`, `null`, `array`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (value instanceof Date) return 'date';
  switch (typeof value) {
    case 'string': {
      const shown = value.length > 40 ? `${value.slice(0, 40)}...` : value;
      return `string (${JSON.stringify(shown)})`;
    }
    case 'number':
    case 'boolean':
    case 'bigint':
      return `${typeof value} (${String(value)})`;
    default:
      return typeof value;
  }
}
