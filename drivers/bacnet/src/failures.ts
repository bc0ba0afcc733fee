/**
 * What a BACnet request can end with besides an answer, as one error type with a clear message:
 * `unknown-object analog-value:12 on device 1234`, `no answer from device 1234 (127.0.0.1:47809)
 * after 3 tries of 1000 ms`. The library reports errors as text (`BacnetError - Class:1 - Code:31`,
 * `BacnetAbort - Reason:4`, `ERR_TIMEOUT`); {@link classify} turns that text into data. Pure.
 */
import { CodedError } from '@weble/driver-kit';
import { abortReasons, errorClasses, errorCodes, rejectReasons } from './bacnet-names.js';

/** What went wrong, as data. */
export type Failure =
  | { kind: 'error'; errorClass: number; errorCode: number }
  | { kind: 'abort'; reason: number }
  | { kind: 'timeout' }
  | { kind: 'other'; message: string };

/** The library's error text -> {@link Failure}. */
export function classify(error: unknown): Failure {
  const message = error instanceof Error ? error.message : String(error);
  const bacnetError = /BacnetError - Class:(\d+) - Code:(\d+)/.exec(message);
  if (bacnetError) return { kind: 'error', errorClass: Number(bacnetError[1]), errorCode: Number(bacnetError[2]) };
  const abort = /BacnetAbort - Reason:(\d+)/.exec(message);
  if (abort) return { kind: 'abort', reason: Number(abort[1]) };
  if (message === 'ERR_TIMEOUT') return { kind: 'timeout' };
  return { kind: 'other', message };
}

/** `unknown-object (object)`, `abort/reject: segmentation-not-supported`. */
export function describeFailure(failure: Failure): string {
  switch (failure.kind) {
    case 'error':
      return `${errorCodes.name(failure.errorCode)} (${errorClasses.name(failure.errorClass)})`;
    case 'abort':
      // The library decodes Reject and Abort PDUs alike; the reason names differ.
      return `rejected or aborted: ${abortReasons.name(failure.reason)} / ${rejectReasons.name(failure.reason)} (reason ${failure.reason})`;
    case 'timeout':
      return 'no answer';
    case 'other':
      return failure.message;
  }
}

/** The codes of a failed BACnet request (README, "Failures"). */
export const BacnetCode = {
  /** The device answered with a BACnet Error PDU (`unknown-object`, `write-access-denied`...). */
  DEVICE_ERROR: 'BACNET_DEVICE_ERROR',
  /** The device rejected or aborted the request (`segmentation-not-supported`...). */
  REJECTED: 'BACNET_REJECTED',
  /** No answer after the tries, or the device is offline. */
  NO_ANSWER: 'BACNET_NO_ANSWER',
  /** The device is not bound yet (no I-Am, no address in the config). */
  NOT_BOUND: 'BACNET_NOT_BOUND',
  /** The answer lacks a property the request asked for. */
  INCOMPLETE_ANSWER: 'BACNET_INCOMPLETE_ANSWER',
  /** The driver's BACnet client is closed (the gateway is stopping). */
  CLOSED: 'BACNET_CLOSED',
  /** Any other failure of the library or the socket; the message carries it. */
  REQUEST_FAILED: 'BACNET_REQUEST_FAILED',
} as const;

/** One of the {@link BacnetCode} values. */
export type BacnetErrorCode = (typeof BacnetCode)[keyof typeof BacnetCode];

/** The `other` failures the driver itself names, by their message. */
const OWN_FAILURES: Record<string, BacnetErrorCode> = {
  unbound: BacnetCode.NOT_BOUND,
  missing: BacnetCode.INCOMPLETE_ANSWER,
  closed: BacnetCode.CLOSED,
};

/** The code of a failure. */
export function failureCode(failure: Failure): BacnetErrorCode {
  switch (failure.kind) {
    case 'error':
      return BacnetCode.DEVICE_ERROR;
    case 'abort':
      return BacnetCode.REJECTED;
    case 'timeout':
      return BacnetCode.NO_ANSWER;
    case 'other':
      return OWN_FAILURES[failure.message] ?? BacnetCode.REQUEST_FAILED;
  }
}

/** A failed BACnet request: `failure` as data, its code ({@link failureCode}), the message for people. */
export class BacnetRequestError extends CodedError<BacnetErrorCode> {
  override name = 'BacnetRequestError';
  constructor(
    readonly failure: Failure,
    message: string,
    options?: ErrorOptions,
  ) {
    super(failureCode(failure), message, options);
  }

  /** The BACnet error code when the device answered with an error. */
  get errorCode(): number | undefined {
    return this.failure.kind === 'error' ? this.failure.errorCode : undefined;
  }
}

/**
 * The error of a request on `what` (`analog-value:12`, `analog-value:12 present-value`) to device
 * `instance`: `unknown-object analog-value:12 on device 1234`.
 */
export function requestError(error: unknown, what: string, instance: number, detail = ''): BacnetRequestError {
  const failure = classify(error);
  const where = `on device ${instance}${detail ? ` ${detail}` : ''}`;
  const message =
    failure.kind === 'error'
      ? `${errorCodes.name(failure.errorCode)} ${what} ${where} (error class ${errorClasses.name(failure.errorClass)})`
      : `${describeFailure(failure)}: ${what} ${where}`;
  return new BacnetRequestError(failure, message, { cause: error });
}
