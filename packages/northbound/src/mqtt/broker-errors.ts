/**
 * MQTT.js errors as the bridge's coded errors: a refused CONNACK (MQTT 5 reason codes ≥ 0x80,
 * MQTT 3.1.1 return codes 1-5), a refused PUBACK/SUBACK (not authorized), and socket errors. Pure.
 */
import { NorthboundCode, NorthboundError } from '../errors.js';

/** A coded error for an MQTT.js client 'error' event (`broker` is the URL tried). */
export function connectionError(error: Error & { code?: unknown }, broker: string): NorthboundError {
  const code = error.code;
  if (typeof code === 'number') {
    return new NorthboundError(
      NorthboundCode.BROKER_REFUSED,
      `broker ${broker} refused the connection: ${error.message} (reason ${code})`,
      { cause: error },
    );
  }
  return new NorthboundError(
    NorthboundCode.BROKER_UNREACHABLE,
    `broker ${broker}: ${error.message}${typeof code === 'string' ? ` (${code})` : ''}`,
    { cause: error },
  );
}

/** A coded error for a refused publish or subscription on `topic`. */
export function refusedError(error: Error & { code?: unknown }, topic: string): NorthboundError {
  const reason = typeof error.code === 'number' ? ` (reason ${error.code})` : '';
  return new NorthboundError(NorthboundCode.NOT_AUTHORIZED, `broker refused ${topic}: ${error.message}${reason}`, {
    cause: error,
  });
}

/** Whether a publish callback error means the broker refused the message (vs. the connection closed). */
export function isRefusal(error: Error & { code?: unknown }): boolean {
  return typeof error.code === 'number';
}
