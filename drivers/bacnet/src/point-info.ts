/**
 * What a BACnet point is besides its value. From the config alone ({@link describePoint}): the
 * present-value of an input object is not offered for writing (a device takes such a write only
 * while the object is out of service, so the driver still passes one on and the device answers),
 * that of an output is, and is commandable (a write of null relinquishes it). From the device
 * ({@link planPointInfo}, in the first read each time a device comes online): state-text of
 * multi-state objects, active-text/inactive-text of binary ones, min/max-pres-value of analog
 * outputs and values, and whether a value object has a priority array.
 */
import type { PointInfo } from '@weble/driver-kit';
import type { BACNetAppData } from '@bacnet-js/client';
import type { ReadItem } from './batching.js';
import * as bacnet from './enums.js';
import type { ResolvedPoint } from './points.js';
import { parseObject } from './object-refs.js';
import type { BacnetPoint } from './schemas.js';
import type { ReadOutcome } from './session.js';
import { isAnalogObject, isBinaryObject, isMultiStateObject } from './values.js';

const Type = bacnet.ObjectType;
const Prop = bacnet.PropertyIdentifier;

const INPUTS: readonly number[] = [Type.ANALOG_INPUT, Type.BINARY_INPUT, Type.MULTI_STATE_INPUT];
const OUTPUTS: readonly number[] = [
  Type.ANALOG_OUTPUT,
  Type.BINARY_OUTPUT,
  Type.MULTI_STATE_OUTPUT,
  Type.BINARY_LIGHTING_OUTPUT,
];
const VALUES: readonly number[] = [Type.ANALOG_VALUE, Type.BINARY_VALUE, Type.MULTI_STATE_VALUE];

/** What the point config says. Pure. */
export function describePoint(point: BacnetPoint): PointInfo {
  const { type } = parseObject(point.object);
  // Another property, or a forced write tag: the device decides (a refusal is its error answer).
  if (point.property !== 'present-value' || point.index !== undefined) return {};
  if (INPUTS.includes(type)) return { writable: false };
  if (OUTPUTS.includes(type)) return { writable: true, relinquish: true };
  return {};
}

/** The properties that describe `point`, each with how its answer fills the info. */
export function infoReads(
  point: ResolvedPoint,
): Array<ReadItem & { fill(values: BACNetAppData[], info: PointInfo): void }> {
  if (point.property !== Prop.PRESENT_VALUE || point.index !== undefined) return [];
  const { object } = point;
  const reads: Array<ReadItem & { fill(values: BACNetAppData[], info: PointInfo): void }> = [];
  const texts = (values: BACNetAppData[]): string[] => values.map((v) => String(v.value));
  if (isMultiStateObject(object.type)) {
    reads.push({
      object,
      property: Prop.STATE_TEXT,
      fill: (values, info) => {
        const list = texts(values);
        if (list.length > 0) info.states = Object.fromEntries(list.map((text, at) => [String(at + 1), text]));
      },
    });
  }
  if (isBinaryObject(object.type)) {
    for (const [property, state] of [
      [Prop.INACTIVE_TEXT, 'false'],
      [Prop.ACTIVE_TEXT, 'true'],
    ] as const) {
      reads.push({
        object,
        property,
        fill: (values, info) =>
          void (values[0] !== undefined && (info.states = { ...info.states, [state]: String(values[0].value) })),
      });
    }
  }
  if (isAnalogObject(object.type) && !INPUTS.includes(object.type)) {
    reads.push({
      object,
      property: Prop.MIN_PRES_VALUE,
      fill: (values, info) => void (typeof values[0]?.value === 'number' && (info.min = values[0].value)),
    });
    reads.push({
      object,
      property: Prop.MAX_PRES_VALUE,
      fill: (values, info) => void (typeof values[0]?.value === 'number' && (info.max = values[0].value)),
    });
  }
  if (VALUES.includes(object.type)) {
    // Commandable only with a priority array (many analog-values have none): slot 0 is its size.
    reads.push({
      object,
      property: Prop.PRIORITY_ARRAY,
      index: 0,
      fill: (values, info) => void (info.relinquish = values.length > 0),
    });
  }
  return reads;
}

/** What to read to describe `points`, and how the answers become each point's info. */
export interface PointInfoPlan {
  readonly items: ReadItem[];
  /** The infos from the outcomes of `items` (in order); a property the device does not have stays unknown. */
  infos(outcomes: readonly ReadOutcome[]): Map<string, PointInfo>;
}

/** Plan the reads that describe `points` (asked once each time a device comes online). Pure. */
export function planPointInfo(points: readonly ResolvedPoint[]): PointInfoPlan {
  const plan = points.map((point) => ({ point, reads: infoReads(point) })).filter((entry) => entry.reads.length > 0);
  return {
    items: plan.flatMap((entry) => entry.reads.map(({ object, property, index }) => ({ object, property, index }))),
    infos(outcomes) {
      const result = new Map<string, PointInfo>();
      let at = 0;
      for (const { point, reads } of plan) {
        const info: PointInfo = {};
        for (const read of reads) {
          const outcome = outcomes[at++];
          if (outcome?.ok) read.fill(outcome.values, info);
          // A value object without a priority array cannot be relinquished.
          else if (read.property === Prop.PRIORITY_ARRAY) info.relinquish = false;
        }
        result.set(point.key, info);
      }
      return result;
    },
  };
}
