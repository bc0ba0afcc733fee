/**
 * Errors of the Modbus driver, declared once. A failed call reaches the caller as a
 * `DRIVER_DEVICE_ERROR` of the driver-kit whose message carries this error's message and code;
 * `DRIVER_CONNECTION_LOST` (the link broke) makes the kit reconnect. Every code is in the README.
 */
import { CodedError } from '@weble/driver-kit';
import type { Table } from './schemas.js';

export const ModbusCode = {
  /** No reply within `timeoutMs`, after `retries` retries. */
  TIMEOUT: 'MODBUS_TIMEOUT',
  /** Exception 1: the device does not support this function. */
  ILLEGAL_FUNCTION: 'MODBUS_ILLEGAL_FUNCTION',
  /** Exception 2: the address (or part of the range) does not exist on the device. */
  ILLEGAL_ADDRESS: 'MODBUS_ILLEGAL_ADDRESS',
  /** Exception 3: the device refused the value or quantity. */
  ILLEGAL_VALUE: 'MODBUS_ILLEGAL_VALUE',
  /** Exception 4: the device failed while doing the request. */
  DEVICE_FAILURE: 'MODBUS_DEVICE_FAILURE',
  /** Exceptions 5 and 6: acknowledged but not done, or busy; try later. */
  DEVICE_BUSY: 'MODBUS_DEVICE_BUSY',
  /** Exceptions 10 and 11: a TCP/RTU gateway has no path to the unit, or the unit did not answer it. */
  GATEWAY_FAILED: 'MODBUS_GATEWAY_FAILED',
  /** Any other exception code. */
  EXCEPTION: 'MODBUS_EXCEPTION',
  /** A reply that does not fit the request (CRC, length, unit, function). */
  BAD_REPLY: 'MODBUS_BAD_REPLY',
  /** More than `maxPendingWrites` writes/reads are waiting for the line. */
  QUEUE_FULL: 'MODBUS_QUEUE_FULL',
} as const;

/** One of the {@link ModbusCode} values. */
export type ModbusErrorCode = (typeof ModbusCode)[keyof typeof ModbusCode];

/** A device-level failure of one request. */
export class ModbusError extends CodedError<ModbusErrorCode> {
  override name = 'ModbusError';
  constructor(code: ModbusErrorCode, message: string, options?: ErrorOptions & { exception?: number }) {
    super(code, `${message} (${code})`, options);
    this.exception = options?.exception;
  }
  /** The Modbus exception code, when the device sent one. */
  readonly exception: number | undefined;
}

const EXCEPTIONS: Record<number, [ModbusErrorCode, string]> = {
  1: [ModbusCode.ILLEGAL_FUNCTION, 'Illegal function'],
  2: [ModbusCode.ILLEGAL_ADDRESS, 'Illegal data address'],
  3: [ModbusCode.ILLEGAL_VALUE, 'Illegal data value'],
  4: [ModbusCode.DEVICE_FAILURE, 'Slave device failure'],
  5: [ModbusCode.DEVICE_BUSY, 'Acknowledge (not done yet)'],
  6: [ModbusCode.DEVICE_BUSY, 'Slave device busy'],
  10: [ModbusCode.GATEWAY_FAILED, 'Gateway path unavailable'],
  11: [ModbusCode.GATEWAY_FAILED, 'Gateway target device failed to respond'],
};

const BASES: Record<Table, number> = { coil: 0, discrete: 1, input: 3, holding: 4 };

/** The conventional (Modicon) number of an address: holding 11 is 40012, coil 0 is 00001; 6 digits above 9999. */
export function modiconAddress(table: Table, address: number): string {
  const n = address + 1;
  return n <= 9999 ? `${BASES[table]}${String(n).padStart(4, '0')}` : `${BASES[table]}${String(n).padStart(5, '0')}`;
}

/** `40012` or `40012-40020`. */
export function modiconRange(table: Table, address: number, count: number): string {
  return count <= 1
    ? modiconAddress(table, address)
    : `${modiconAddress(table, address)}-${modiconAddress(table, address + count - 1)}`;
}

/** The error of an exception reply: `Illegal data address 40012 on unit 3`. */
export function exceptionError(
  exception: number,
  table: Table,
  address: number,
  count: number,
  unit: number,
): ModbusError {
  const [code, text] = EXCEPTIONS[exception] ?? [ModbusCode.EXCEPTION, `Exception ${exception}`];
  return new ModbusError(code, `${text} ${modiconRange(table, address, count)} on unit ${unit}`, { exception });
}
