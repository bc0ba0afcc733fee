/**
 * What the BACnet session tells its owner (device state, rebinding, COV notifications) and the
 * COV notification decoded from the library's `covNotify` payload.
 */
import type { BACNetAppData } from '@bacnet-js/client';
import type { ObjectRef } from './bacnet-names.js';
import type { DeviceBinding } from './device-binding.js';

/** One COV notification. */
export interface CovNotification {
  instance: number;
  object: ObjectRef;
  processId: number;
  values: Array<{ property: { id: number; index?: number | undefined }; value: BACNetAppData[] }>;
}

/** What the session tells its owner. */
export interface SessionEvents {
  deviceState(binding: Readonly<DeviceBinding>): void;
  /** A device got a (new) address: resubscribe what it served. */
  rebound(binding: Readonly<DeviceBinding>, previous: string | undefined): void;
  cov(notification: CovNotification): void;
}

/** The notification of a (confirmed or unconfirmed) COV payload. */
export function covFrom(payload: {
  initiatingDeviceId: number | ObjectRef;
  monitoredObjectId: ObjectRef;
  subscriberProcessId: number;
  values: CovNotification['values'];
}): CovNotification {
  // Typed as a number, decoded as the device's object identifier.
  const initiating = payload.initiatingDeviceId;
  return {
    instance: typeof initiating === 'number' ? initiating : initiating.instance,
    object: payload.monitoredObjectId,
    processId: payload.subscriberProcessId,
    values: payload.values,
  };
}
