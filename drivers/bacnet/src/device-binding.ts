/**
 * What the BACnet session knows of one device (its binding: address, max APDU, state) and of
 * an I-Am it heard: the types, a new unbound binding, and the I-Am decoded from the library's event.
 */
import type { BACNetAddress } from '@bacnet-js/client';

/** Where a device stands, as reported by `deviceState <instance>`. */
export type DeviceStateName = 'unbound' | 'online' | 'offline';

/** What the session knows of one device. */
export interface DeviceBinding {
  instance: number;
  /** Where requests go (`address` is `ip:port`; `net`/`adr` behind a router). */
  receiver: BACNetAddress | undefined;
  /** Largest APDU the device takes, bytes. */
  maxApdu: number;
  /** Segmentation support from its I-Am (0 both .. 3 none), when known. */
  segmentation: number | undefined;
  vendorId: number | undefined;
  state: DeviceStateName;
  since: Date;
  detail: string | undefined;
  /** ReadPropertyMultiple works (false once the device refused the service). */
  rpm: boolean;
  /** The address came from the config (still rebound by an I-Am from elsewhere). */
  fixed: boolean;
}

/** An I-Am as heard. */
export interface IAm {
  instance: number;
  receiver: BACNetAddress;
  maxApdu: number;
  segmentation: number;
  vendorId: number;
}

/** The binding of a device not heard from yet. */
export function unboundBinding(instance: number): DeviceBinding {
  return {
    instance,
    receiver: undefined,
    maxApdu: 1476,
    segmentation: undefined,
    vendorId: undefined,
    state: 'unbound',
    since: new Date(),
    detail: 'no I-Am yet',
    rpm: true,
    fixed: false,
  };
}

/** The I-Am of the library's `iAm` event, or undefined when it has no sender address or payload. */
export function iAmFrom(
  sender: BACNetAddress | undefined,
  payload: { deviceId: number; maxApdu: number; segmentation: number; vendorId: number } | undefined,
): IAm | undefined {
  if (!sender?.address || !payload) return undefined;
  const receiver: BACNetAddress = {
    address: sender.address,
    ...(sender.net !== undefined ? { net: sender.net, adr: sender.adr ?? [] } : {}),
  };
  return {
    instance: payload.deviceId,
    receiver,
    maxApdu: payload.maxApdu,
    segmentation: payload.segmentation,
    vendorId: payload.vendorId,
  };
}
