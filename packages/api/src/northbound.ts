/**
 * A northbound (MQTT) bridge's status as `northbound.status()` answers it; the supervisor's
 * `system.list` carries it for each bridge (`bridge`), the UI and `weble-supervisor status` show it.
 */

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
