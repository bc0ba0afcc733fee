/** `weble-supervisor status`: ask a running supervisor for its processes, over its socket. */
import type { BridgeStatus } from '@weble/northbound/site';
import createPeers from '@weble/peers-core';

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

const silent = { debug() {}, warn() {}, error() {} };

/** Connect to the supervisor's socket, call `system.list`, disconnect. Fails within `timeoutMs`. */
export async function fetchStatus(socketPath: string, timeoutMs = 3000): Promise<ProcessInfo[]> {
  const peers = createPeers(`status_${process.pid}_${Math.random().toString(36).slice(2, 8)}`, { logger: silent, callTimeoutMs: timeoutMs });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no supervisor answered on ${socketPath} within ${timeoutMs} ms`)), timeoutMs);
      peers.once('connect supervision', () => {
        clearTimeout(timer);
        resolve();
      });
      // No socket or nobody listening: say so at once rather than at the timeout.
      peers.on('error', (_where: string, error: Error & { code?: string }) => {
        if (error.code !== 'ENOENT' && error.code !== 'ECONNREFUSED') return;
        clearTimeout(timer);
        reject(new Error(`no supervisor is running on ${socketPath} (${error.code})`));
      });
      peers.connect(socketPath);
    });
    const [list] = await peers('supervision').call('system', 'list', [], { timeoutMs });
    return list as ProcessInfo[];
  } finally {
    await peers.close();
  }
}
