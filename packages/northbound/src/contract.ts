/**
 * What crosses the process boundary between the supervisor and a bridge, declared once and
 * imported by both: the peer name, the module the bridge shares, its status shape, the IPC
 * configuration message type and the environment variables. The status shape is part of the core
 * modules' API (`@weble/api`).
 */
import { CONFIG_MESSAGE_TYPE } from '@weble/driver-kit';

/** The module every bridge shares on its peer: `status()`. */
export const NORTHBOUND_MODULE = 'northbound';

/** The hub peer and the module the bridge reads values from and writes through. */
export const HUB_PEER = 'supervision';
/** The core module of the hub with `listAddresses`, `listGateways`, `writeValue`. */
export const GATEWAYS_MODULE = 'gateways';

/** The IPC configuration message type (the same as drivers'). */
export const NORTHBOUND_CONFIG_TYPE = CONFIG_MESSAGE_TYPE;

/** Environment of a bridge process. */
export const NorthboundEnv = {
  /** The hub endpoint (UNIX socket path). Required. */
  hub: 'WEBLE_HUB',
  /** The peer name; default `northbound_<id>`. */
  peerName: 'WEBLE_PEER_NAME',
} as const;

/** The peer name of a bridge: `northbound_<id>`. */
export function northboundPeerName(id: string): string {
  return `northbound_${id}`;
}

/** A bridge's status (`northbound.status()`) and its last error: declared in `@weble/api` (the `system` module's `list` carries it). */
export type { BridgeStatus, BridgeError } from '@weble/api';
