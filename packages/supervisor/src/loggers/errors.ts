/**
 * Errors of the `loggers` module, declared once. Every message names what was wrong and where
 * (`insertLogger logger.retention.days: ...`, `history "boiler/*": ...`). Every code is documented
 * in the package README (a test checks that).
 */
import { CodedError } from '@weble/peers-core';
export const LoggersCode = {
  /** A logger definition or a query option failed its schema; the message lists every problem with its path. */
  BAD_REQUEST: 'LOGGERS_BAD_REQUEST',
  /** No logger with that name. */
  UNKNOWN_LOGGER: 'LOGGERS_UNKNOWN_LOGGER',
  /** A logger with that name exists already. */
  LOGGER_EXISTS: 'LOGGERS_LOGGER_EXISTS',
  /** An address (key, name, alias) or pattern that matches no address of the site. */
  UNKNOWN_ADDRESS: 'LOGGERS_UNKNOWN_ADDRESS',
  /** A raw range holds more samples than can be answered at once: ask with `maxPoints`. */
  RANGE_TOO_LARGE: 'LOGGERS_RANGE_TOO_LARGE',
  /** The store process is not connected (starting, restarting): try again. */
  STORE_DOWN: 'LOGGERS_STORE_DOWN',
  /** The store could not answer (the database failed); the message carries the cause. */
  STORE_ERROR: 'LOGGERS_STORE_ERROR',
} as const;

/** One of the {@link LoggersCode} values. */
export type LoggersErrorCode = (typeof LoggersCode)[keyof typeof LoggersCode];

/** The error class of the loggers; `code` is one of {@link LoggersCode}. */
export class LoggersError extends CodedError<LoggersErrorCode> {
  override name = 'LoggersError';
}
