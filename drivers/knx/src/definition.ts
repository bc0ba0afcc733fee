/**
 * The KNX driver: one KNXnet/IP connection per gateway (tunnelling over UDP, or routing),
 * points by group address with a datapoint type, values reported from every telegram on the bus,
 * reads (GroupValue_Read) at start and on demand, writes (GroupValue_Write) through the bus's
 * rate limit, our own heartbeat so a dead tunnel is noticed within seconds.
 */
import { defineDriver } from '@weble/driver-kit';
import { KnxGateway } from './gateway.js';
import { schema } from './schema.js';

export { valueSchemaOf } from './schema.js';

/** The definition `runDriver` runs (its schemas and hooks from `./schema.ts`, what the supervisor loads). */
export const definition = defineDriver({
  ...schema,
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
