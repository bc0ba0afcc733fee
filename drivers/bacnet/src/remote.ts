/** The BACnet `driver` module as a remote peer sees it: the kit's four methods plus BACnet's own. */
import type { RemoteDriver } from '@weble/driver-kit';
import type { DiscoveredDevice } from './discovery.js';
import type { DeviceInfo } from './gateway.js';

export interface RemoteBacnetDriver extends RemoteDriver {
  /** Who-Is and the I-Ams heard; `{ objects: true }` adds names and object lists. */
  discover(options?: {
    instance?: number;
    lowLimit?: number;
    highLimit?: number;
    waitMs?: number;
    objects?: boolean;
  }): Promise<DiscoveredDevice[]>;
  devices(): Promise<DeviceInfo[]>;
  priorityArray(key: string): Promise<{ key: string; object: string; slots: unknown[]; active: number | null }>;
}
