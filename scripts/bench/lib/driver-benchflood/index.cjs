/**
 * A benchmark-only driver, installed next to a bench's site.yaml like any third-party driver
 * (`node_modules/@weble/driver-benchflood`, see scripts/bench/northbound.mjs): values enter the mesh
 * from inside a driver, as field-bus values do (driver-kit's `emitValue`, `newValue <key>` events
 * through the hub), instead of from a peer calling `gateways.writeValue`.
 * Points: `{type: number}` hold numbers (writable: the written value is reported, as the virtual
 * driver does) and one `{type: burst}` point whose write `{from, count, rate}` starts reporting the
 * values from, from+1, ... (count of them) on the number points in turn (value i on the
 * (i mod n)-th): `rate` values/s paced by a 1 ms timer, or 0 for as fast as the driver goes (chunks
 * of 256 per turn of the event loop). The write answers at once; the values follow.
 */
const { defineDriver, z } = require('@weble/driver-kit');

const CHUNK = 256;

const burstSchema = z.strictObject({
  from: z.number().int(),
  count: z.number().int().positive(),
  rate: z.number().min(0).default(0),
});

/** Report `count` values from `from` on `keys` in turn through `emit`. */
function burst(keys, emit, { from, count, rate }, signal) {
  const t0 = performance.now();
  let sent = 0;
  const step = () => {
    if (signal.aborted) return;
    const due =
      rate > 0 ? Math.min(count, Math.floor(((performance.now() - t0) * rate) / 1000)) : Math.min(count, sent + CHUNK);
    for (; sent < due; sent++) emit(keys[(from + sent) % keys.length], from + sent);
    if (sent < count) (rate > 0 ? setTimeout : setImmediate)(step, 1);
  };
  step();
}

const definition = defineDriver({
  type: 'benchflood',
  configSchema: z.strictObject({}),
  pointSchema: z.strictObject({ type: z.enum(['number', 'burst']) }),
  valueSchema: (point) => (point.type === 'burst' ? burstSchema : z.number()),
  async connect(_config, ctx) {
    const keys = ctx.addresses.filter((a) => a.point.type === 'number').map((a) => a.key);
    return { ctx, keys };
  },
  read: () => undefined,
  write(device, point, value) {
    if (point.type !== 'burst') return undefined;
    burst(device.keys, device.ctx.emitValue, value, device.ctx.signal);
    return { value: undefined };
  },
});

module.exports = { definition };
