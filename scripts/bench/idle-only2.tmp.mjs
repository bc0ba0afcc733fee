import { measureIdleDrivers } from './lib/idle-drivers.tmp.mjs';
const types = (process.env.TYPES ?? 'virtual,modbus,bacnet,serial').split(',');
const r = await measureIdleDrivers({ settleMs: 3000, types });
const mib = (b) => (b / 2 ** 20).toFixed(1);
console.log('bare', mib(r.bare));
for (const [t, b] of Object.entries(r.drivers)) console.log(t, mib(b), (b / r.bare).toFixed(2) + 'x');
