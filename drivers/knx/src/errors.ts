/**
 * Codes of the KNX driver's own problems, declared once. A failed call reaches the caller as a
 * driver-kit `DriverError` whose message carries this error's message and code; a telegram that
 * cannot be decoded is logged and counted, never fatal. Every code is documented in the README.
 */
import { CodedError } from '@weble/driver-kit';
export const KnxCode = {
  /** A group address that is not `main/middle/sub` (0-31/0-7/0-255), `main/sub` (0-31/0-2047) or free (0-65535). */
  BAD_GROUP_ADDRESS: 'KNX_BAD_GROUP_ADDRESS',
  /** A datapoint type the driver does not know (`dpt: "99.001"`). */
  UNSUPPORTED_DPT: 'KNX_UNSUPPORTED_DPT',
  /** A telegram's data has the wrong size for the point's datapoint type (2 bytes expected for 9.x...). */
  BAD_SIZE: 'KNX_BAD_SIZE',
  /** Bytes that are no valid datapoint value (a NaN float, a string that is not ISO 8859-1...). */
  BAD_DATA: 'KNX_BAD_DATA',
  /** A value that the datapoint type cannot carry (300 for 5.010, 2^40 for 12.001). */
  BAD_VALUE: 'KNX_BAD_VALUE',
  /** A KNXnet/IP frame that is too short, has a wrong header or a length that does not match. */
  BAD_FRAME: 'KNX_BAD_FRAME',
  /** The tunnelling server did not answer a CONNECTIONSTATE_REQUEST (or answered with an error). */
  HEARTBEAT_FAILED: 'KNX_HEARTBEAT_FAILED',
  /** A TUNNELLING_REQUEST got no TUNNELLING_ACK after the library's repeat. */
  NO_ACK: 'KNX_NO_ACK',
  /** The connection to the KNXnet/IP server could not be opened, or it closed. */
  CONNECT_FAILED: 'KNX_CONNECT_FAILED',
  /** No GroupValue_Response to a GroupValue_Read within `readTimeoutMs`. */
  READ_TIMEOUT: 'KNX_READ_TIMEOUT',
  /** More than `maxQueue` telegrams are waiting for the bus's rate limit. */
  QUEUE_FULL: 'KNX_QUEUE_FULL',
  /** An ETS group-address export (CSV or XML) that cannot be read; the message says the line. */
  BAD_ETS_EXPORT: 'KNX_BAD_ETS_EXPORT',
} as const;

/** One of the {@link KnxCode} values. */
export type KnxErrorCode = (typeof KnxCode)[keyof typeof KnxCode];

/** An error of the KNX driver, with a {@link KnxCode}; the message ends with the code in brackets. */
export class KnxError extends CodedError<KnxErrorCode> {
  override name = 'KnxError';
  constructor(code: KnxErrorCode, message: string, options?: ErrorOptions) {
    super(code, `${message} (${code})`, options);
  }
}

/** Whether `error` is a {@link KnxError} with `code`. */
export function isKnxError(error: unknown, code?: KnxErrorCode): error is KnxError {
  return error instanceof KnxError && (code === undefined || error.code === code);
}
