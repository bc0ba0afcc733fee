/**
 * The serial driver: a generic driver for devices that print lines, take ASCII commands or speak
 * binary frames, configured without code. `connect` opens the port; a driver-owned `poll` sends
 * the polled points' commands every `pollMs`, one request in flight at a time; unsolicited frames
 * are reported as they arrive. Its body; definition.ts adds the schemas.
 */
import { abortableDelay, DriverCode, DriverError, type DriverBody, type PollContext } from '@weble/driver-kit';
import { SerialError } from './errors.js';
import { hooks } from './hooks.js';
import { openSerialDevice, type SerialDevice } from './serial-device.js';
import type { SerialConfig, SerialPoint } from './schemas.js';

/**
 * The driver without its schemas (the hooks of hooks.ts and the device operations): the bin runs
 * it with its schemas loaded on first need (bin.ts); definition.ts adds them for other code.
 */
export const body: DriverBody<SerialConfig, SerialPoint, SerialDevice> = {
  ...hooks,
  connect: (config, ctx) => openSerialDevice(config, ctx),
  disconnect: (device: SerialDevice) => device.close(),
  async read(device, point, address) {
    try {
      if (point.poll) return await device.poll(address.key);
      if (point.read) return await device.nextValue(address.key);
    } catch (error) {
      throw withCode(error);
    }
    throw new DriverError(
      DriverCode.DEVICE_ERROR,
      `address ${JSON.stringify(address.key)} has no read or poll: it can only be written`,
    );
  },
  async write(device, _point, value, address) {
    try {
      await device.write(address.key, value);
    } catch (error) {
      throw withCode(error);
    }
  },
  poll: pollPoints,
  methods: {
    /** `driver.frameStats()`: frames, malformed frames, unmatched frames and bad values since the port opened, faults by code. */
    frameStats: (device: SerialDevice) => device.stats(),
  },
  reconnect: { initialMs: 200, maxMs: 10_000 },
  stableMs: 5_000,
};

/** Send every polled point's command each `pollMs`, until the connection ends. */
async function pollPoints(device: SerialDevice, ctx: PollContext<SerialConfig, SerialPoint>): Promise<void> {
  const keys = [...device.points.values()].filter((p) => p.poll).map((p) => p.key);
  if (keys.length === 0) return;
  const period = device.config.pollMs;
  let next = Date.now();
  while (!ctx.signal.aborted) {
    for (const key of keys) {
      if (ctx.signal.aborted) return;
      try {
        ctx.emitValue(key, await device.poll(key));
        ctx.recovered([key]);
      } catch (error) {
        ctx.failed([key], withCode(error));
      }
    }
    if (ctx.signal.aborted) return;
    ctx.cycle();
    next += period;
    const wait = next - Date.now();
    if (wait > 0) await abortableDelay(wait, ctx.signal);
    else next = Date.now();
  }
}

/** Serial errors leave the driver as `DRIVER_DEVICE_ERROR`, their code leading the message. */
function withCode(error: unknown): Error {
  if (error instanceof DriverError) return error;
  if (error instanceof SerialError)
    return new DriverError(DriverCode.DEVICE_ERROR, `${error.code}: ${error.message}`, { cause: error });
  return error instanceof Error ? error : new Error(String(error));
}
