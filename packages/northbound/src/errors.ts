/**
 * Every error of the northbound bridge, declared once. Each code is documented in the package
 * README (a test checks that). Messages name the bridge, the topic or address, and what was wrong.
 * Errors reach operators through the bridge's status (`lastError`) and `<topic>/set/result` replies;
 * none of them stops the bridge.
 */
import { CodedError } from '@weble/peers-core';
export const NorthboundCode = {
  /** The configuration message failed the schema; the message lists every problem with its path. */
  BAD_CONFIG: 'NORTHBOUND_BAD_CONFIG',
  /** A TLS file (CA, client certificate or key) could not be read. */
  TLS_FILE: 'NORTHBOUND_TLS_FILE',
  /** The broker could not be reached (refused, unreachable, timed out, closed at once). */
  BROKER_UNREACHABLE: 'NORTHBOUND_BROKER_UNREACHABLE',
  /** The broker refused the connection (bad user name or password, not authorized, bad client id). */
  BROKER_REFUSED: 'NORTHBOUND_BROKER_REFUSED',
  /** The broker refused a publish or a subscription (an ACL); the message names the topic. */
  NOT_AUTHORIZED: 'NORTHBOUND_NOT_AUTHORIZED',
  /** A command from the broker is not valid (not JSON, no `value`, a malformed Sparkplug payload). */
  BAD_COMMAND: 'NORTHBOUND_BAD_COMMAND',
  /** A write from the broker to an address that is not on the bridge's `writable` allow-list. */
  WRITE_NOT_ALLOWED: 'NORTHBOUND_WRITE_NOT_ALLOWED',
  /** The write reached the gateway and failed; the message carries the gateway's error. */
  WRITE_FAILED: 'NORTHBOUND_WRITE_FAILED',
  /** The store-and-forward buffer reached its size: the oldest values were dropped (counted). */
  BUFFER_FULL: 'NORTHBOUND_BUFFER_FULL',
  /** The buffer directory could not be written or read (disk full, permissions). */
  BUFFER_IO: 'NORTHBOUND_BUFFER_IO',
} as const;

/** One of the {@link NorthboundCode} values. */
export type NorthboundErrorCode = (typeof NorthboundCode)[keyof typeof NorthboundCode];

/** The one error class of the bridge; `code` is one of {@link NorthboundCode}. */
export class NorthboundError extends CodedError<NorthboundErrorCode> {
  override name = 'NorthboundError';
}
