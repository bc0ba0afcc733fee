// Compiled by types.test.ts against the built package: what a TypeScript user writes.
import createPeers, { Code, PeersError, type ModuleProxy, type Peers, type RemotePeer } from '@weble/peers-core';

const peers: Peers = createPeers('typed_client', { callTimeoutMs: 1000 });
peers.connect('/tmp/supervision.sock');
peers.on('connect supervision', () => {
  const sup: RemotePeer = peers('supervision');
  sup.require('gateways', (err, gateways) => {
    if (err || !gateways) return;
    gateways.writeValue('4/7/25', 1, (e: Error | null) => void e);
    gateways.on('newValue 4/7/25', (address: string, value: unknown) => void [address, value]);
  });
});

interface Gateways {
  writeValue(key: string, value: unknown): Promise<void>;
}
async function typed(): Promise<void> {
  const g = await peers('supervision').require<Gateways>('gateways');
  await g.writeValue('4/7/25', 2);
  g.removeListener('x', () => {});
  const any: ModuleProxy = await peers('supervision').require('system');
  const bytes: number = await any.totalmem!();
  const ok: boolean = peers('supervision').emit('hello', 'world');
  const err = new PeersError(Code.TIMEOUT, 'x');
  void [bytes, ok, err.code satisfies string];
}
void typed;
const n: number = peers.listenerCount();
const names: string[] = peers.connectedPeers();
void [n, names];
