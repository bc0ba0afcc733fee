/**
 * The objects of the simulated device: inputs, outputs with priority arrays, an analog-value
 * without one, a multi-state-value, state and active/inactive texts, an output with
 * min/max-pres-value, and any number of extra analog-values (a long object list).
 */
import bacnet from '../lib.js';
import type { BACNetAppData, BACNetObjectID } from '@bacnet-js/client';

const { ObjectType: T, ApplicationTag: Tag } = bacnet;

export interface SimObject {
  id: BACNetObjectID;
  name: string;
  value: BACNetAppData;
  /** 16 slots (null = relinquished) for commandable objects. */
  priority?: Array<BACNetAppData | null>;
  relinquish?: BACNetAppData;
  writable: boolean;
  flags: number[];
  units?: number;
  /** state-text (multi-state objects), active-text / inactive-text (binary objects). */
  texts?: string[];
  /** min-pres-value, max-pres-value (analog objects). */
  limits?: [number, number];
}

export const real = (value: number): BACNetAppData => ({ type: Tag.REAL, value });
export const enumerated = (value: number): BACNetAppData => ({ type: Tag.ENUMERATED, value });
export const key = (id: BACNetObjectID): string => `${id.type}:${id.instance}`;

/** A commandable object's 16 slots (all relinquished) and its relinquish default. */
function commandable(initial: BACNetAppData): Pick<SimObject, 'priority' | 'relinquish'> {
  return { priority: new Array<BACNetAppData | null>(16).fill(null), relinquish: initial };
}

/** The device object `instance`, its points, and `extra` analog-values 100... */
export function simObjects(instance: number, extra: number): SimObject[] {
  return [
    {
      id: { type: T.DEVICE, instance },
      name: `sim-device-${instance}`,
      value: enumerated(0),
      writable: false,
      flags: [],
    },
    {
      id: { type: T.ANALOG_INPUT, instance: 1 },
      name: 'supply-temp',
      value: real(21.5),
      writable: false,
      flags: [],
      units: 62,
    },
    {
      id: { type: T.ANALOG_INPUT, instance: 2 },
      name: 'outdoor-temp',
      value: real(11.2),
      writable: false,
      flags: [],
      units: 62,
    },
    {
      id: { type: T.ANALOG_OUTPUT, instance: 1 },
      name: 'valve',
      value: real(0),
      writable: true,
      flags: [],
      units: 98,
      limits: [0, 100],
      ...commandable(real(0)),
    },
    {
      id: { type: T.ANALOG_VALUE, instance: 1 },
      name: 'setpoint',
      value: real(21),
      writable: true,
      flags: [],
      units: 62,
    },
    {
      id: { type: T.BINARY_INPUT, instance: 1 },
      name: 'pump-status',
      value: enumerated(0),
      writable: false,
      flags: [],
      texts: ['Running', 'Stopped'],
    },
    {
      id: { type: T.BINARY_OUTPUT, instance: 1 },
      name: 'fan',
      value: enumerated(0),
      writable: true,
      flags: [],
      texts: ['On', 'Off'],
      ...commandable(enumerated(0)),
    },
    {
      id: { type: T.MULTI_STATE_VALUE, instance: 1 },
      name: 'mode',
      value: { type: Tag.UNSIGNED_INTEGER, value: 1 },
      writable: true,
      flags: [],
      texts: ['Off', 'Heat', 'Cool'],
    },
    ...Array.from({ length: extra }, (_, i): SimObject => ({
      id: { type: T.ANALOG_VALUE, instance: 100 + i },
      name: `av-${100 + i}`,
      value: real(i),
      writable: true,
      flags: [],
    })),
  ];
}
