'use strict';
/**
 * dnode 1.2.2 with an emulated hub: every process connects to the hub over dnode (UNIX socket).
 * The server registers its remote object; the hub forwards a client's call(to, arg, cb) to that
 * object over the server's own connection, and the server's callback travels back the same way.
 * Fan-out: listeners hand the hub a callback; the hub calls each one per published event.
 * weak: false because the optional native 'weak' module is not installed (callbacks are then
 * never culled; fine for a bounded run).
 */
const dnode = require('dnode');
const { runChild, listener } = require('../lib/child.cjs');

const OPTS = { weak: false };

function hub(cfg) {
  const servers = new Map(); // name -> remote object
  const subscribers = new Map(); // topic -> callbacks
  const server = dnode(function (remote) {
    this.register = (name, cb) => {
      servers.set(name, remote);
      cb();
    };
    this.call = (to, method, arg, cb) => servers.get(to)[method](arg, cb);
    this.subscribe = (topic, fn, cb) => {
      if (!subscribers.has(topic)) subscribers.set(topic, []);
      subscribers.get(topic).push(fn);
      cb();
    };
    this.publish = (topic, arg) => {
      const fns = subscribers.get(topic);
      if (fns) for (const fn of fns) fn(arg);
    };
  }, OPTS);
  return new Promise((resolve) => server.listen(cfg.path, () => resolve({})));
}

/** Connect to the hub offering `local`; resolves with the hub's remote object. */
function connect(cfg, local) {
  return new Promise((resolve, reject) => {
    const d = dnode(local, OPTS);
    d.on('error', reject);
    d.on('remote', (remote) => resolve(remote));
    d.connect(cfg.path);
  });
}

async function server(cfg) {
  const remote = await connect(cfg, {
    echo(x, cb) {
      cb(null, x);
    },
  });
  await new Promise((resolve) => remote.register('server', resolve));
}

async function client(cfg) {
  const remote = await connect(cfg, {});
  return { call: (arg, cb) => remote.call('server', 'echo', arg, cb) };
}

async function publisher(cfg) {
  const remote = await connect(cfg, {});
  return { publish: (p) => remote.publish('tick', p) };
}

async function listen(cfg) {
  const remote = await connect(cfg, {});
  const onEvent = listener(cfg);
  await new Promise((resolve) => remote.subscribe('tick', onEvent, resolve));
}

runChild((cfg) => ({ hub, server, client, publisher, listener: listen })[cfg.kind](cfg));
