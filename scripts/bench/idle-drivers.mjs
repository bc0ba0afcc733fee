/**
 * Only the idle driver rows of scripts/bench/supervisor.mjs (lib/idle-drivers.mjs): the idle RSS
 * of one driver of each kind (virtual, Modbus, BACnet, serial) connected to a simulated device and
 * polling 10 points each second, against an idle bare Node process measured in the same run.
 * Quicker than the whole supervisor benchmark when working on a driver's memory (docs/memory.md).
 * `IDLE_TYPES=virtual,modbus` picks kinds; `IDLE_SETTLE_MS` the time each idles before measured.
 */
import { measureIdleDrivers } from './lib/idle-drivers.mjs';

const types = process.env.IDLE_TYPES?.split(',');
const settleMs = Number(process.env.IDLE_SETTLE_MS ?? 5_000);
const { bare, drivers } = await measureIdleDrivers({ settleMs, ...(types ? { types } : {}) });
const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
console.log('| measure | value | baseline | ratio |');
console.log('|---|---:|---:|---:|');
for (const [type, bytes] of Object.entries(drivers)) {
  console.log(
    `| idle ${type} driver RSS (10 points polled each second, simulated device) | ${mib(bytes)} ` +
      `| ${mib(bare)} (an idle bare node process, same run) | ${(bytes / bare).toFixed(2)}x |`,
  );
}
