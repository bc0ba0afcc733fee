/**
 * Points resolved for the wire: the numbers behind a point's names, the properties to read for
 * it (status-flags too when the point reports them), and how answers become its value. Pure.
 */
import bacnet from './lib.js';
import type { BACNetAppData } from '@bacnet-js/client';
import type { Address } from '@weble/driver-kit';
import type { ObjectRef } from './bacnet-names.js';
import type { ReadItem } from './batching.js';
import { wantsCov } from './cov-policy.js';
import type { ReadOutcome } from './session.js';
import { parseObject, parsePropertyId } from './object-refs.js';
import type { BacnetConfig, BacnetPoint } from './schemas.js';
import { decodeStatusFlags, decodeValues, type StatusFlags } from './values.js';

const Prop = bacnet.PropertyIdentifier;

/** A point with its numbers. */
export interface ResolvedPoint {
  key: string;
  point: BacnetPoint;
  instance: number;
  object: ObjectRef;
  /** `analog-input:1` */
  objectKey: string;
  property: number;
  index: number | undefined;
  /** Served by COV when the device takes the subscription. */
  cov: boolean;
  intervalMs: number;
}

/** Resolve every address of the gateway. */
export function resolvePoints(
  addresses: ReadonlyArray<Readonly<Address<BacnetPoint>>>,
  config: BacnetConfig,
): ResolvedPoint[] {
  return addresses.map((address) => {
    const point = address.point;
    return {
      key: address.key,
      point,
      instance: point.device,
      object: parseObject(point.object),
      objectKey: point.object,
      property: parsePropertyId(point.property),
      index: point.index,
      cov: wantsCov(point, config.cov.enabled),
      intervalMs: point.intervalMs ?? config.pollMs,
    };
  });
}

/** The properties read for `point`: its own, then status-flags when it reports them. */
export function readItemsOf(point: ResolvedPoint): ReadItem[] {
  const main: ReadItem = { object: point.object, property: point.property, index: point.index };
  if (!point.point.status || point.property === Prop.STATUS_FLAGS) return [main];
  return [main, { object: point.object, property: Prop.STATUS_FLAGS }];
}

/** The value of `point` from its decoded property (and status flags). */
export function pointValue(
  point: ResolvedPoint,
  values: readonly BACNetAppData[],
  flags: StatusFlags | undefined,
): unknown {
  const value = decodeValues(values, {
    object: point.object,
    property: point.property,
    array: point.property === Prop.PRIORITY_ARRAY && point.index === undefined,
  });
  if (!point.point.status || point.property === Prop.STATUS_FLAGS) return value;
  return { value, flags: flags ?? null };
}

/** The outcome for a point from the outcomes of its {@link readItemsOf}. */
export function pointOutcome(
  point: ResolvedPoint,
  outcomes: readonly ReadOutcome[],
): { ok: true; value: unknown } | { ok: false; error: Error } {
  const [main, status] = outcomes;
  if (!main) return { ok: false, error: new Error(`no answer for ${point.key}`) };
  if (!main.ok) return main;
  let flags: StatusFlags | undefined;
  if (status) {
    if (!status.ok) return status;
    const bits = status.values[0]?.value as { value: number[] } | undefined;
    flags = bits && Array.isArray(bits.value) ? decodeStatusFlags(bits) : undefined;
  }
  return { ok: true, value: pointValue(point, main.values, flags) };
}

/**
 * The value of `point` from a COV notification's values, or undefined when the notification
 * does not carry its property.
 */
export function valueFromCov(
  point: ResolvedPoint,
  values: ReadonlyArray<{ property: { id: number; index?: number | undefined }; value: BACNetAppData[] }>,
): unknown {
  const own = values.find((entry) => entry.property.id === point.property);
  if (!own) return undefined;
  const statusEntry = values.find((entry) => entry.property.id === Prop.STATUS_FLAGS);
  const bits = statusEntry?.value[0]?.value as { value: number[] } | undefined;
  const flags = bits && Array.isArray(bits.value) ? decodeStatusFlags(bits) : undefined;
  if (point.point.status && point.property !== Prop.STATUS_FLAGS && flags === undefined) return undefined;
  return pointValue(point, own.value, flags);
}
