/**
 * BACnet benchmark: points read per second by the driver's session (drivers/bacnet, built dist)
 * from a simulated device in its own process (`node drivers/bacnet/dist/sim.js`, loopback UDP, an
 * OS-chosen port), with ReadPropertyMultiple batching (requests sized to the device's max APDU)
 * against one ReadProperty per point, measured in the same run on the same points. Prints a
 * markdown table with the ratio, and records the headline for the summary.
 */
import { BacnetSession, configSchema } from '@weble/driver-bacnet';
import { startBacnetSim } from './lib/field-devices.mjs';
import { record } from './lib/summary.mjs';

const DURATION_MS = process.env.BENCH_QUICK ? 500 : 2_000;
const INSTANCE = 7001;
const POINTS = [10, 100];

const silent = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child() {
    return silent;
  },
};

/** Points read per second by `cycle` (one cycle reads `count` points) over DURATION_MS. */
async function rate(count, cycle) {
  await cycle(); // warm-up
  let cycles = 0;
  const start = performance.now();
  while (performance.now() - start < DURATION_MS) {
    await cycle();
    cycles++;
  }
  return (cycles * count) / ((performance.now() - start) / 1000);
}

const sim = await startBacnetSim({ instance: INSTANCE, extraObjects: Math.max(...POINTS) });
const config = configSchema.parse({
  port: 0,
  interface: '127.0.0.1',
  devices: [{ instance: INSTANCE, address: sim.address }],
  apduTimeoutMs: 2_000,
  retries: 0,
});
const session = await BacnetSession.open(config, silent, { deviceState() {}, rebound() {}, cov() {} });
const rows = [];
try {
  for (const count of POINTS) {
    const items = Array.from({ length: count }, (_, i) => ({ object: { type: 2, instance: 100 + i }, property: 85 }));
    const check = await session.readMany(INSTANCE, items);
    if (!check.every((outcome) => outcome.ok))
      throw new Error(`bench points do not read: ${JSON.stringify(check.find((o) => !o.ok))}`);
    const rpm = await rate(count, () => session.readMany(INSTANCE, items));
    const single = await rate(count, async () => {
      for (const item of items) await session.readProperty(INSTANCE, item);
    });
    rows.push({ count, rpm, single });
  }
} finally {
  session.close();
  sim.child.kill('SIGTERM');
}

const fmt = (n) => Math.round(n).toLocaleString('en-US');
console.log('\n### BACnet: points read per second (simulated device in its own process, loopback UDP)\n');
console.log('| Points per device | RPM batched (points/s) | One ReadProperty per point (points/s) | Ratio |');
console.log('|---:|---:|---:|---:|');
for (const row of rows)
  console.log(`| ${row.count} | ${fmt(row.rpm)} | ${fmt(row.single)} | ${(row.rpm / row.single).toFixed(1)}x |`);
const head = rows.at(-1);
record('bacnet', [
  {
    measure: `points read/s, ${head.count} points, RPM batched`,
    value: head.rpm,
    unit: 'points/s',
    baseline: 'one ReadProperty per point',
    baselineValue: head.single,
    better: 'higher',
  },
]);
