/** `weble-supervisor status`: ask a running supervisor for its processes, over its socket. */
import type { ProcessInfo } from '@weble/api';
import { withSite } from './site-client.js';

/** One supervised process as `system.list` answers it and `status` shows it (the API's). */
export type { ProcessInfo };

/** Connect to the supervisor's socket, call `system.list`, disconnect. Fails within `timeoutMs`. */
export async function fetchStatus(socketPath: string, timeoutMs = 3000): Promise<ProcessInfo[]> {
  return withSite(
    socketPath,
    timeoutMs,
    async (peers) => (await peers('supervision').call('system', 'list', [], { timeoutMs }))[0] as ProcessInfo[],
  );
}
