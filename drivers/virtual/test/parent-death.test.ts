/**
 * No orphans: when the driver's parent is SIGKILLed (no chance to stop its children), the driver
 * notices (IPC disconnect, or EOF on its stdin pipe without IPC) and exits within 2 s.
 */
import { fork } from 'node:child_process';
import {
  startTestHub,
  waitForEvent,
  waitForProcessGone,
  isProcessAlive,
  type TestHub,
} from '@weble/driver-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADDRESSES, BIN, PARENT, virtualConfig } from './helpers.js';

let hub: TestHub;
const started: number[] = [];
const linkErrors: string[] = [];
beforeAll(async () => {
  hub = await startTestHub();
  hub.peers.on('error', (peer: unknown, error: unknown) =>
    linkErrors.push(`${String(peer)}: ${(error as Error).message}`),
  );
});
afterAll(async () => {
  for (const pid of started) if (isProcessAlive(pid)) process.kill(pid, 'SIGKILL');
  await hub.close();
});

describe.each(['ipc', 'stdin'] as const)('parent SIGKILLed (%s)', (mode) => {
  it('the driver leaves the mesh and exits within 2 s', async () => {
    const id = mode === 'ipc' ? 1 : 2;
    const peerName = `driver_virtual_${id}`;
    const parent = fork(PARENT, [BIN, mode], {
      env: {
        ...process.env,
        WEBLE_HUB: hub.socket,
        WEBLE_PEER_NAME: peerName,
        TEST_CONFIG: JSON.stringify(virtualConfig(id, ADDRESSES)),
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    parent.stdout!.resume();
    parent.stderr!.resume();
    const [report] = await waitForEvent<[{ pid: number }]>(parent, 'message');
    started.push(report.pid, parent.pid!);
    await hub.waitForPeer(peerName);
    const left = hub.waitForPeerGone(peerName, 2_000);
    const parentGone = waitForEvent(parent, 'exit');

    parent.kill('SIGKILL');
    await parentGone;
    const ms = await waitForProcessGone(report.pid, 2_000);
    await left;
    expect(ms).toBeLessThan(2_000);
    expect(linkErrors).toEqual([]); // it left cleanly: no reset link at the hub
  });
});
