/**
 * A hub for driver tests: a peer (default `supervision`) listening on a UNIX socket in a fresh
 * temp dir, as the supervisor would. Close it to remove the dir.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPeers, type Peers, type PeersOptions } from '@weble/peers-core';
import { waitForEvent } from './wait.js';

/** A listening hub. */
export interface TestHub {
  readonly peers: Peers;
  /** The UNIX socket path (give it to drivers as `WEBLE_HUB`). */
  readonly socket: string;
  /** The temp dir holding the socket; free for other files of the test. */
  readonly dir: string;
  /** Resolve when `peerName` is on the mesh (at once if it is already). */
  waitForPeer(peerName: string, timeoutMs?: number): Promise<void>;
  /** Resolve when `peerName` has left the mesh (at once if it is not on it). */
  waitForPeerGone(peerName: string, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Start a hub named `name` on `<tmp>/hub.sock`. */
export async function startTestHub(name = 'supervision', options: PeersOptions = {}): Promise<TestHub> {
  const dir = mkdtempSync(join(tmpdir(), 'weble-driver-test-'));
  const socket = join(dir, 'hub.sock');
  const peers = createPeers(name, options);
  await peers.listen(socket);
  return {
    peers,
    socket,
    dir,
    async waitForPeer(peerName, timeoutMs = 10_000) {
      // Checked and listened to in the same tick: events only come from I/O, so none is missed.
      if (peers.connectedPeers().includes(peerName)) return;
      await waitForEvent(peers, `connect ${peerName}`, { timeoutMs });
    },
    async waitForPeerGone(peerName, timeoutMs = 5_000) {
      if (!peers.connectedPeers().includes(peerName)) return;
      await waitForEvent(peers, `disconnect ${peerName}`, { timeoutMs });
    },
    async close() {
      await peers.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
