/**
 * Codes of the serial driver's own problems: malformed frames (counted and logged, never fatal),
 * and request/response failures. Errors that leave the driver through the `driver` module are
 * driver-kit `DriverError`s; these codes appear in their messages, in logs and in `frameErrors`.
 */
import { CodedError } from '@weble/driver-kit';
export const SerialCode = {
  /** A frame grew past `maxLength` bytes without being complete; its bytes are dropped. */
  FRAME_TOO_LONG: 'SERIAL_FRAME_TOO_LONG',
  /** A frame's checksum does not match its bytes. */
  BAD_CHECKSUM: 'SERIAL_BAD_CHECKSUM',
  /** A frame's length field is out of range, or its end bytes are not where the length says. */
  BAD_LENGTH: 'SERIAL_BAD_LENGTH',
  /** A frame does not fit its layout: too short or long, fixed bytes not where the layout puts them, hex digits that are not hex. */
  BAD_FRAME: 'SERIAL_BAD_FRAME',
  /** Bytes outside any frame (before a start sequence) were dropped. */
  GARBAGE: 'SERIAL_GARBAGE',
  /** A frame matched a point's pattern but its value could not be converted (e.g. `"abc"` as a number). */
  BAD_VALUE: 'SERIAL_BAD_VALUE',
  /** No answer matched the request within its timeout, after every retry. */
  TIMEOUT: 'SERIAL_TIMEOUT',
  /** The device answered with a frame matching the point's `reject` pattern. */
  REJECTED: 'SERIAL_REJECTED',
  /** The port closed while the request was pending or queued. */
  PORT_CLOSED: 'SERIAL_PORT_CLOSED',
} as const;

/** One of the {@link SerialCode} values. */
export type SerialErrorCode = (typeof SerialCode)[keyof typeof SerialCode];

/** An error of the serial driver, with a {@link SerialCode}. */
export class SerialError extends CodedError<SerialErrorCode> {
  override name = 'SerialError';
}
