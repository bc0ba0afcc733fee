/**
 * The KNX driver: one KNXnet/IP connection per gateway (tunnelling over UDP, or routing),
 * points by group address with a datapoint type, values reported from every telegram on the bus,
 * reads (GroupValue_Read) at start and on demand, writes (GroupValue_Write) through the bus's
 * rate limit, our own heartbeat so a dead tunnel is noticed within seconds.
 */
import { defineDriver, z } from '@weble/driver-kit';
import { checkValue } from './dpt/dpt-values.js';
import { dptInfo } from './dpt/dpt-info.js';
import { parseDpt } from './dpt/dpt-id.js';
import { KnxGateway } from './gateway.js';
import { configSchema, pointSchema, type KnxPoint } from './schemas.js';

/** Schema of values written to `point`: what its datapoint type takes (1 and 0 are booleans for DPT 1). */
export function valueSchemaOf(point: KnxPoint): z.ZodType<unknown> {
  const dpt = parseDpt(point.dpt);
  return z.unknown().transform((value, ctx) => {
    try {
      return checkValue(dpt, value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  });
}

/** The definition `runDriver` runs; the supervisor reads its schemas to validate site.yaml. */
export const definition = defineDriver({
  type: 'knx',
  configSchema,
  pointSchema,
  valueSchema: (point) => valueSchemaOf(point),
  describe: (point) => ({ ...dptInfo(parseDpt(point.dpt)), writable: point.writable }),
  connect: (config, ctx) => KnxGateway.open(config, ctx),
  disconnect: (gateway) => gateway.close(),
  read: (gateway, _point, address) => gateway.read(address.key),
  write: (gateway, _point, value, address) => gateway.write(address.key, value),
  poll: (gateway, ctx) => gateway.poll(ctx),
  methods: {
    /** `busStatus(cb)`: telegrams waiting for the rate limit and telegrams that did not decode. */
    busStatus: (gateway) => ({ queued: gateway.link.queued, undecodable: gateway.undecodable }),
  },
  reconnect: { initialMs: 500, maxMs: 30_000 },
});
