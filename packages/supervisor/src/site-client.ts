/**
 * A short-lived client of a running site's hub (the CLI's `status`, `start`, `stop`, `restart`,
 * `logs`): connect to the UNIX socket as a peer of the site, run `work`, close. Fails at once when
 * no supervisor listens there, within `timeoutMs` when none answers.
 */
import createPeers, { type Peers } from '@weble/peers-core';

const silent = { debug() {}, warn() {}, error() {} };

/** A peer name for a CLI run: `cli_<user>_<pid>` (the audit trail names it). */
export function cliPeerName(): string {
  const user =
    (process.env.USER ?? process.env.LOGNAME ?? 'user').replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 32) || 'user';
  return `cli_${user}_${process.pid}_${Math.random().toString(36).slice(2, 6)}`;
}

export async function withSite<T>(
  socketPath: string,
  timeoutMs: number,
  work: (peers: Peers) => Promise<T>,
): Promise<T> {
  const peers = createPeers(cliPeerName(), { logger: silent, callTimeoutMs: timeoutMs });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no supervisor answered on ${socketPath} within ${timeoutMs} ms`)),
        timeoutMs,
      );
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
    return await work(peers);
  } finally {
    await peers.close();
  }
}
