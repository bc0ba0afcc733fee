// A driver package written in ESM TypeScript against the published types.
import {
  DriverCode,
  DriverError,
  defineDriver,
  driverConfigSchema,
  runDriver,
  z,
  type DriverStatus,
} from '@weble/driver-kit';
import { spawnDriver, startTestHub } from '@weble/driver-kit/testing';

export const definition = defineDriver({
  type: 'example',
  configSchema: z.object({ host: z.string(), port: z.number().default(502) }),
  pointSchema: z.object({ register: z.number().int() }),
  valueSchema: () => z.number(),
  reconnect: { initialMs: 1_000 },
  async connect(config, ctx) {
    const port: number = config.port;
    ctx.setState('connecting', `${config.host}:${port}`);
    return { registers: new Map<number, number>() };
  },
  read: (device, point) => device.registers.get(point.register) ?? 0,
  write: (device, point, value) => {
    const n: number = value;
    if (n < 0) throw new DriverError(DriverCode.BAD_VALUE, 'negative');
    device.registers.set(point.register, n);
  },
  pollMs: () => 1_000,
});

// @ts-expect-error a point has no `coil`
export const wrong = (p: Parameters<typeof definition.read>[1]) => p.coil;

export const schema = driverConfigSchema(definition);
export type Status = DriverStatus;
export const run = (): Promise<void> => runDriver(definition, { shutdownTimeoutMs: 1_000 });
export const harness = [spawnDriver, startTestHub];
