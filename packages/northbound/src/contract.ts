/**
 * What crosses the process boundary between the supervisor and a bridge, declared once and
 * imported by both: the peer name, the module the bridge shares, its status shape, the IPC
 * configuration message type and the environment variables.
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

/** The last error a bridge met, as its status shows it. */
export interface BridgeError {
  code: string;
  message: string;
  /** ms since the epoch. */
  at: number;
}

/** A bridge's status (`northbound.status()`; shown by `system` status and `weble-supervisor status`). */
export interface BridgeStatus {
  id: string;
  mode: 'plain' | 'sparkplug';
  /** Connected to a broker now. */
  connected: boolean;
  /** The broker URL in use (or last tried). */
  broker: string | null;
  /** The site's addresses are loaded and their values listened to (false while starting). */
  listening: boolean;
  /** Values taken from the site into the buffer since the bridge started. */
  received: number;
  /** Values waiting in the store-and-forward buffer, and its size on disk in bytes. */
  buffered: { count: number; bytes: number };
  /** Values published (acknowledged by the broker at QoS 1) since the bridge started. */
  published: number;
  /** Values published in the last full second. */
  publishedPerSec: number;
  /** Values dropped because the buffer was full (oldest first), since the buffer was created. */
  dropped: number;
  /** Messages the broker refused (ACL), since the bridge started. */
  refused: number;
  /** Writes from the broker: done, and refused or failed. */
  writes: { ok: number; failed: number };
  lastError: BridgeError | null;
}
