/**
 * `driver.discover(options?)`: Who-Is, the I-Ams heard within `waitMs`, and on request each
 * device's name and object list (read whole, or element by element when the device cannot
 * send it in one APDU and cannot segment) with the objects' names (RPM batches).
 */
import bacnet from './lib.js';
import { abortableDelay } from '@weble/driver-kit';
import { formatObject, type ObjectRef } from './bacnet-names.js';
import { BacnetRequestError } from './failures.js';
import { parseDiscoverOptions } from './discover-options.js';
import { MAX_INSTANCE } from './object-refs.js';
import type { BacnetSession, IAm } from './session.js';

const Prop = bacnet.PropertyIdentifier;
const DEVICE = bacnet.ObjectType.DEVICE;

/** One object of a device. */
export interface DiscoveredObject {
  /** `analog-input:1`, as points write it. */
  object: string;
  name: string | null;
}

/** One device found. */
export interface DiscoveredDevice {
  instance: number;
  address: string;
  maxApdu: number;
  segmentation: number;
  vendorId: number;
  name?: string | null;
  /** How the object list was read. */
  objectListRead?: 'whole' | 'element by element';
  objects?: DiscoveredObject[];
  /** Why the name or the objects could not be read. */
  error?: string;
}

/** Run a discovery. `options` come from the mesh: validated here. */
export async function discover(
  session: BacnetSession,
  options: unknown,
  signal: AbortSignal,
): Promise<DiscoveredDevice[]> {
  const parsed = parseDiscoverOptions(options);
  const { instance, waitMs, objects } = parsed;
  const low = instance ?? parsed.lowLimit;
  const high = instance ?? parsed.highLimit;
  const heard = new Map<number, IAm>();
  const stop = session.onIAm((iAm) => {
    if ((low === undefined || iAm.instance >= low) && (high === undefined || iAm.instance <= high))
      heard.set(iAm.instance, iAm);
  });
  try {
    session.client.whoIs(
      low === undefined && high === undefined ? {} : { lowLimit: low ?? 0, highLimit: high ?? MAX_INSTANCE },
    );
    await abortableDelay(waitMs, signal);
  } finally {
    stop();
  }
  const found: DiscoveredDevice[] = [];
  for (const iAm of [...heard.values()].sort((a, b) => a.instance - b.instance)) {
    session.adopt(iAm);
    const device: DiscoveredDevice = {
      instance: iAm.instance,
      address: String(iAm.receiver.address),
      maxApdu: iAm.maxApdu,
      segmentation: iAm.segmentation,
      vendorId: iAm.vendorId,
    };
    if (objects && !signal.aborted) {
      try {
        await describeDevice(session, device);
      } catch (error) {
        device.error = (error as Error).message;
      }
    }
    found.push(device);
  }
  return found;
}

async function describeDevice(session: BacnetSession, device: DiscoveredDevice): Promise<void> {
  const self: ObjectRef = { type: DEVICE, instance: device.instance };
  const name = await session.readProperty(device.instance, { object: self, property: Prop.OBJECT_NAME });
  device.name = typeof name[0]?.value === 'string' ? name[0].value : null;
  const { list, how } = await readObjectList(session, device.instance);
  device.objectListRead = how;
  const names = await session.readMany(
    device.instance,
    list.map((object) => ({ object, property: Prop.OBJECT_NAME })),
  );
  device.objects = list.map((object, at) => {
    const outcome = names[at];
    const text = outcome?.ok ? outcome.values[0]?.value : undefined;
    return { object: formatObject(object), name: typeof text === 'string' ? text : null };
  });
}

/** The device's object-list: whole, else (abort: too long and no segmentation) element by element. */
export async function readObjectList(
  session: BacnetSession,
  instance: number,
): Promise<{ list: ObjectRef[]; how: 'whole' | 'element by element' }> {
  const self: ObjectRef = { type: DEVICE, instance };
  try {
    const whole = await session.readProperty(instance, { object: self, property: Prop.OBJECT_LIST });
    return { list: whole.map((item) => item.value as ObjectRef), how: 'whole' };
  } catch (error) {
    if (!(error instanceof BacnetRequestError) || error.failure.kind !== 'abort') throw error;
  }
  const count = await session.readProperty(instance, { object: self, property: Prop.OBJECT_LIST, index: 0 });
  const total = Number(count[0]?.value ?? 0);
  const list: ObjectRef[] = [];
  for (let index = 1; index <= total; index++) {
    const element = await session.readProperty(instance, { object: self, property: Prop.OBJECT_LIST, index });
    list.push(element[0]?.value as ObjectRef);
  }
  return { list, how: 'element by element' };
}
