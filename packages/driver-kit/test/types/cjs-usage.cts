// The same from CommonJS TypeScript.
import kit = require('@weble/driver-kit');
import testing = require('@weble/driver-kit/testing');

const definition = kit.defineDriver({
  type: 'example',
  configSchema: kit.z.object({ host: kit.z.string() }),
  pointSchema: kit.z.object({ register: kit.z.number() }),
  connect: async (config) => ({ host: config.host }),
  read: (device, point) => `${device.host}:${point.register}`,
  write: () => undefined,
  reconnect: (attempt: number) => attempt * 100,
});
const options: kit.BackoffOptions = { initialMs: 10 };
// @ts-expect-error not a backoff option
const wrong: kit.BackoffOptions = { initial: 10 };
const code: 'DRIVER_BAD_VALUE' = kit.DriverCode.BAD_VALUE;
const hub: Promise<testing.TestHub> = testing.startTestHub();
const run = (): Promise<void> => kit.runDriver(definition);
void [options, wrong, code, hub, run];
