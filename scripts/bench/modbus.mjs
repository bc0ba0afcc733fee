/**
 * Modbus benchmark (issue 6). A map of 1,000 points spread over 3 tables (coils, input and
 * holding registers) with gaps between them, on one unit:
 *  - requests per poll cycle as planned by the driver, against the optimum (the fewest requests
 *    within the protocol limits, reading any gap) and against one request per point (what
 *    node-red-contrib-modbus does with one node per value);
 *  - the driver process polling a pymodbus server over TCP: requests the server counted per cycle
 *    and the poll cycle time, against the same driver configured to send one request per point.
 * Both baselines are measured in the same run. Prints a markdown table.
 * Needs /usr/bin/python3 with python3-pymodbus and the built @weble/driver-modbus.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { planRequests } from '@weble/driver-modbus';
import { spawnDriver, startTestHub } from '@weble/driver-kit/testing';
import { startModbusSim } from './lib/field-devices.mjs';
import { record } from './lib/summary.mjs';

const require = createRequire(import.meta.url);
const root = dirname(require.resolve('@weble/driver-modbus/package.json'));
const BIN = join(root, 'dist', 'bin.cjs');
const POINTS = Number(process.env.BENCH_MODBUS_POINTS ?? 1000);
const CYCLES = Number(process.env.BENCH_MODBUS_CYCLES ?? 5);
const DEFAULTS = { maxGapRegisters: 8, maxGapBits: 64, maxRegisters: 125, maxBits: 2000 };

/** A deterministic point map: 30% coils, 35% input registers, 35% holding registers of mixed types, with gaps. */
function pointMap(n) {
  let seed = 42;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const next = { coil: 0, input: 0, holding: 0 };
  const sizes = { uint16: 1, int16: 1, float32: 2, int32: 2, float64: 4 };
  const types = Object.keys(sizes);
  const points = [];
  for (let i = 0; i < n; i++) {
    const r = random();
    const table = r < 0.3 ? 'coil' : r < 0.65 ? 'input' : 'holding';
    const type = table === 'coil' ? 'bool' : types[Math.floor(random() * types.length)];
    // Mostly dense blocks, sometimes a hole of a few addresses, now and then a jump to another block.
    const g = random();
    const gap = g < 0.7 ? 0 : g < 0.95 ? 1 + Math.floor(random() * 6) : 20 + Math.floor(random() * 200);
    const address = next[table] + gap;
    const count = table === 'coil' ? 1 : sizes[type];
    next[table] = address + count;
    points.push({ key: `p${i}`, point: { table, address, type } });
  }
  return points;
}

const items = (points) =>
  points.map(({ key, point }) => ({
    key,
    unit: 1,
    table: point.table,
    address: point.address,
    count: point.table === 'coil' ? 1 : { uint16: 1, int16: 1, float32: 2, int32: 2, float64: 4 }[point.type],
  }));

/** Run the driver on the map until `CYCLES` poll cycles after the first; cycle time and server requests per cycle. */
async function measure(hub, sim, points, id, limits) {
  const peer = `driver_modbus_${id}`;
  const child = spawnDriver(BIN, {
    hub: hub.socket,
    peerName: peer,
    env: { WEBLE_LOG_LEVEL: 'error' },
    config: {
      gateway: {
        id,
        type: 'modbus',
        config: { transport: 'tcp', host: '127.0.0.1', port: sim.port, pollMs: 10, timeoutMs: 5000, ...limits },
      },
      addresses: points,
    },
  });
  try {
    await hub.waitForPeer(peer, 15_000);
    const driver = await hub.peers(peer).require('driver');
    const polls = async () => (await driver.status()).polls;
    const until = async (n) => {
      while ((await polls()) < n) await new Promise((r) => setTimeout(r, 5)); // status polling interval
    };
    await until(1);
    const p0 = await polls();
    const r0 = Number((await sim.command('requests')).slice(3));
    const t0 = performance.now();
    await until(p0 + CYCLES);
    const t1 = performance.now();
    const p1 = await polls();
    const r1 = Number((await sim.command('requests')).slice(3));
    return { cycleMs: (t1 - t0) / (p1 - p0), requestsPerCycle: (r1 - r0) / (p1 - p0) };
  } finally {
    child.kill();
    await child.exited;
  }
}

const points = pointMap(POINTS);
const ours = planRequests(items(points), DEFAULTS).length;
const optimum = planRequests(items(points), { ...DEFAULTS, maxGapRegisters: 125, maxGapBits: 2000 }).length;
const contiguous = planRequests(items(points), { ...DEFAULTS, maxGapRegisters: 0, maxGapBits: 0 }).length;
const perPoint = points.length;

const hub = await startTestHub('bench_modbus');
const sim = await startModbusSim();
let live;
let naive;
try {
  live = await measure(hub, sim, points, 1, {});
  naive = await measure(hub, sim, points, 2, { maxGapRegisters: 0, maxGapBits: 0, maxRegisters: 1, maxBits: 1 });
} finally {
  sim.child.removeAllListeners('exit');
  sim.child.kill('SIGKILL');
  await hub.close();
}

const x = (n) => `${n.toFixed(2)}x`;
console.log(`\n### Modbus: ${POINTS} points over coils, input and holding registers (gaps), pymodbus over TCP\n`);
console.log('| measure | weble | baseline | ratio |');
console.log('|---|---:|---:|---:|');
console.log(
  `| requests per poll cycle (planned) vs optimum (any gap read, protocol limits) | ${ours} | ${optimum} | ${x(ours / optimum)} |`,
);
console.log(
  `| requests per poll cycle (planned) vs contiguous only (no gap read) | ${ours} | ${contiguous} | ${x(contiguous / ours)} fewer |`,
);
console.log(
  `| requests per poll cycle (planned) vs one request per point | ${ours} | ${perPoint} | ${x(perPoint / ours)} fewer |`,
);
console.log(
  `| requests per poll cycle (counted by pymodbus) vs one per point | ${live.requestsPerCycle.toFixed(1)} ` +
    `| ${naive.requestsPerCycle.toFixed(1)} | ${x(naive.requestsPerCycle / live.requestsPerCycle)} fewer |`,
);
console.log(
  `| poll cycle time, ms (pymodbus, TCP loopback) vs one request per point | ${live.cycleMs.toFixed(1)} ` +
    `| ${naive.cycleMs.toFixed(1)} | ${x(naive.cycleMs / live.cycleMs)} faster |`,
);
console.log(
  `\n(${CYCLES} cycles each after the first; gap bridged: ${DEFAULTS.maxGapRegisters} registers, ${DEFAULTS.maxGapBits} bits.)`,
);
record('modbus', [
  {
    measure: `requests per poll cycle, ${POINTS} points with gaps`,
    value: ours,
    unit: 'requests',
    baseline: 'optimum (any gap read, protocol limits)',
    baselineValue: optimum,
    better: 'lower',
  },
  {
    measure: `requests per poll cycle, ${POINTS} points with gaps`,
    value: ours,
    unit: 'requests',
    baseline: 'one request per point (node-red-contrib-modbus)',
    baselineValue: perPoint,
    better: 'lower',
  },
  {
    measure: 'poll cycle time against pymodbus (TCP loopback)',
    value: live.cycleMs,
    unit: 'ms',
    baseline: 'one request per point, same server',
    baselineValue: naive.cycleMs,
    better: 'lower',
  },
]);
process.exit(0);
