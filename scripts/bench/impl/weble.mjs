/**
 * weble: @weble/peers-core as built in packages/peers-core/dist. The hub is the 'supervision'
 * peer listening on a UNIX socket; every other process connects to it and is reached through it.
 */
import createPeers from '@weble/peers-core';
import child from '../lib/child.cjs';

const { runChild, listener } = child;

function once(peers, event) {
  return new Promise((resolve) => peers.once(event, resolve));
}

async function hub(cfg) {
  const peers = createPeers('supervision');
  await peers.listen(cfg.path);
  return { close: () => peers.close() };
}

async function server(cfg) {
  const peers = createPeers('server');
  peers.share('calc', {
    echo(x, cb) {
      cb(null, x);
    },
  });
  const up = once(peers, 'connect supervision');
  peers.connect(cfg.path);
  await up;
  return { close: () => peers.close() };
}

async function client(cfg) {
  const peers = createPeers('client');
  const up = once(peers, 'connect server');
  peers.connect(cfg.path);
  await up;
  const calc = await peers('server').require('calc');
  return { call: (arg, cb) => calc.echo(arg, cb), close: () => peers.close() };
}

async function publisher(cfg) {
  const peers = createPeers('publisher');
  const up = once(peers, 'connect supervision');
  peers.connect(cfg.path);
  await up;
  const events = peers.peerEvents();
  return { publish: (p) => events.emit('tick', p), close: () => peers.close() };
}

async function listen(cfg) {
  const peers = createPeers(cfg.name);
  const up = once(peers, 'connect publisher');
  peers.connect(cfg.path);
  await up;
  peers('publisher').on('tick', listener(cfg));
  return { close: () => peers.close() };
}

runChild((cfg) => ({ hub, server, client, publisher, listener: listen })[cfg.kind](cfg));
