/**
 * Errors of the `alarms` module, declared once. Every message names what was wrong and where
 * (`insertAlarm alarm.limit: ...`, `ack "boiler_hot": ...`). Every code is documented in the
 * package README (a test checks that).
 */
import { CodedError } from '@weble/peers-core';
export const AlarmsCode = {
  /** A definition, an acknowledgement or a history query failed its schema; the message lists every problem with its path. */
  BAD_REQUEST: 'ALARMS_BAD_REQUEST',
  /** No alarm with that id. */
  UNKNOWN_ALARM: 'ALARMS_UNKNOWN_ALARM',
  /** An alarm with that id exists already (insertAlarm). */
  ALARM_EXISTS: 'ALARMS_ALARM_EXISTS',
  /** The alarm's `address` is no address key, name or alias of the site. */
  UNKNOWN_ADDRESS: 'ALARMS_UNKNOWN_ADDRESS',
  /** `ack` of an alarm that waits for no acknowledgement (cleared, or acknowledged already: the message says by whom). */
  NOT_ACKNOWLEDGEABLE: 'ALARMS_NOT_ACKNOWLEDGEABLE',
  /** The history store cannot answer (its file cannot be opened or read); the message carries the cause. */
  STORE_UNAVAILABLE: 'ALARMS_STORE_UNAVAILABLE',
} as const;

/** One of the {@link AlarmsCode} values. */
export type AlarmsErrorCode = (typeof AlarmsCode)[keyof typeof AlarmsCode];

/** The error class of the alarms; `code` is one of {@link AlarmsCode}. */
export class AlarmsError extends CodedError<AlarmsErrorCode> {
  override name = 'AlarmsError';
}
