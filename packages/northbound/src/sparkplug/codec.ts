/**
 * Sparkplug B payloads with Eclipse Tahu's `sparkplug-payload`: births, data and deaths out, commands
 * (NCMD, DCMD) in. A payload that does not decode, or a metric without a name or alias, is a
 * `NORTHBOUND_BAD_COMMAND`, never a throw.
 */
import sparkplugPayload from 'sparkplug-payload';
import type { UMetric, UPayload } from 'sparkplug-payload/lib/sparkplugbpayload.js';
import { NorthboundCode, NorthboundError } from '../errors.js';
import { longToNumber } from './metrics.js';

const spB = sparkplugPayload.get('spBv1.0')!;

/** Encode a payload. */
export function encodeSparkplug(payload: UPayload): Buffer {
  return Buffer.from(spB.encodePayload(payload));
}

/** Decode a payload (for tests and tools); throws on bytes that are not one. */
export function decodeSparkplug(bytes: Uint8Array): UPayload {
  return spB.decodePayload(bytes);
}

/** A metric of a command: its name or alias and the value asked for. */
export interface CommandMetric {
  name?: string;
  alias?: number;
  value: unknown;
}

/** Decode an NCMD or DCMD payload into its metrics. */
export function decodeCommand(bytes: Uint8Array, topic: string): CommandMetric[] | NorthboundError {
  let payload: UPayload;
  try {
    payload = spB.decodePayload(bytes);
  } catch (error) {
    return new NorthboundError(
      NorthboundCode.BAD_COMMAND,
      `${topic}: not a Sparkplug B payload (${(error as Error).message})`,
    );
  }
  const metrics: CommandMetric[] = [];
  for (const [index, metric] of (payload.metrics ?? []).entries()) {
    const alias = longToNumber(metric.alias);
    const name = typeof metric.name === 'string' && metric.name !== '' ? metric.name : undefined;
    if (name === undefined && alias === undefined) {
      return new NorthboundError(
        NorthboundCode.BAD_COMMAND,
        `${topic}: metrics[${index}] has neither a name nor an alias`,
      );
    }
    const value = metric.isNull ? null : (longToNumber(metric.value) ?? metric.value);
    metrics.push({ ...(name !== undefined ? { name } : {}), ...(alias !== undefined ? { alias } : {}), value });
  }
  if (metrics.length === 0) return new NorthboundError(NorthboundCode.BAD_COMMAND, `${topic}: no metrics`);
  return metrics;
}

export type { UMetric, UPayload };
