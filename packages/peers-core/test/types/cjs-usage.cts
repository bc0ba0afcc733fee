// CommonJS TypeScript: `require` gives the factory itself, with the named exports on it.
import peersFactory = require('@weble/peers-core');

const peers: peersFactory.Peers = peersFactory('typed_cjs');
const alsoFactory: typeof peersFactory.createPeers = peersFactory.createPeers;
const code: string = peersFactory.Code.PEER_DISCONNECTED;
peers.share('temperatureSensor', { read: (cb: (e: null, v: number) => void) => cb(null, 21.7) }, (caller: string) =>
  caller.startsWith('admin_'),
);
const backoff: peersFactory.Backoff = peersFactory.exponentialBackoff({ initialMs: 10 });
const options: peersFactory.PeersOptions = { backoff, callTimeoutMs: 5 };
void [alsoFactory, code, options];
