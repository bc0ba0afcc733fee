/**
 * What a datapoint type says of a point besides its value: the range and step a write may take,
 * the unit, and the texts of a boolean's two states (KNX 03.07.02: DPT 1.001 Off/On, 1.009
 * Open/Close, 9.001 °C...). Pure.
 */
import type { PointInfo } from '@weble/driver-kit';
import { DPT9_MAX, DPT9_MIN } from './dpt-float.js';
import type { DptId } from './dpt-id.js';

/** Texts of `false` and `true` of the DPT 1 subtypes that name them. */
const BOOLEAN_TEXTS: Readonly<Record<number, readonly [string, string]>> = {
  1: ['Off', 'On'],
  2: ['False', 'True'],
  3: ['Disable', 'Enable'],
  4: ['No ramp', 'Ramp'],
  5: ['No alarm', 'Alarm'],
  6: ['Low', 'High'],
  7: ['Decrease', 'Increase'],
  8: ['Up', 'Down'],
  9: ['Open', 'Close'],
  10: ['Stop', 'Start'],
  11: ['Inactive', 'Active'],
  12: ['Not inverted', 'Inverted'],
  17: ['Trigger', 'Trigger'],
  18: ['Not occupied', 'Occupied'],
  19: ['Closed', 'Open'],
  24: ['Night', 'Day'],
};

/** Units of the DPT 9 subtypes. */
const FLOAT_UNITS: Readonly<Record<number, string>> = {
  1: '°C',
  2: 'K',
  3: 'K/h',
  4: 'lx',
  5: 'm/s',
  6: 'Pa',
  7: '%',
  8: 'ppm',
  10: 's',
  11: 'ms',
  20: 'mV',
  21: 'mA',
  24: 'kW',
  25: 'l/h',
  27: '°F',
  28: 'km/h',
};

/** Integer types: range, step 1. */
const INTEGER_RANGES: Readonly<Record<number, readonly [number, number]>> = {
  6: [-128, 127],
  7: [0, 65_535],
  8: [-32_768, 32_767],
  12: [0, 4_294_967_295],
  13: [-2_147_483_648, 2_147_483_647],
  17: [0, 63],
  20: [0, 255],
};

/** The metadata of a point of type `dpt` (empty for the structured types). */
export function dptInfo(dpt: DptId): PointInfo {
  switch (dpt.main) {
    case 1: {
      const texts = dpt.sub === undefined ? undefined : BOOLEAN_TEXTS[dpt.sub];
      return texts ? { states: { false: texts[0], true: texts[1] } } : {};
    }
    case 5:
      if (dpt.sub === 1) return { min: 0, max: 100, unit: '%' };
      if (dpt.sub === 3) return { min: 0, max: 360, unit: '°' };
      return { min: 0, max: 255, step: 1 };
    case 9: {
      const unit = dpt.sub === undefined ? undefined : FLOAT_UNITS[dpt.sub];
      return { min: DPT9_MIN, max: DPT9_MAX, ...(unit ? { unit } : {}) };
    }
    default: {
      const range = INTEGER_RANGES[dpt.main];
      return range ? { min: range[0], max: range[1], step: 1 } : {};
    }
  }
}
