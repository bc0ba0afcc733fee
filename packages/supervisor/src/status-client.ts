/** `weble-supervisor status`: ask a running supervisor for its processes, over its socket. */
import type { BridgeStatus } from '@weble/northbound/site';
import { withSite } from './site-client.js';

/** One supervised process as `status` shows it. */
export interface ProcessInfo {
  name: string;
  kind: 'driver' | 'logic' | 'web' | 'store' | 'northbound';
  state: 'starting' | 'up' | 'stopping' | 'stopped' | 'backoff' | 'failed';
  pid: number | null;
  restarts: number;
  /** ms since the process last became up, or null. */
  uptimeMs: number | null;
  /** resident set size in bytes, or null when not running. */
  rss: number | null;
  /** last stderr lines, for failed processes. */
  lastError?: string[];
  /** A northbound bridge's own status (connection, buffer, rates, last error), when it answered. */
  bridge?: BridgeStatus;
}

/** Connect to the supervisor's socket, call `system.list`, disconnect. Fails within `timeoutMs`. */
export async function fetchStatus(socketPath: string, timeoutMs = 3000): Promise<ProcessInfo[]> {
  return withSite(socketPath, timeoutMs, async (peers) => (await peers('supervision').call('system', 'list', [], { timeoutMs }))[0] as ProcessInfo[]);
}
