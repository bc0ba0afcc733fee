'use strict';
/**
 * Moleculer 0.14 with its TCP transporter over loopback (TCP only): UDP discovery off, every node
 * listed in static `urls` with a port chosen by the orchestrator; JSON serializer (the default).
 * Moleculer has no hub: nodes talk directly. To route like the others, the client calls the
 * 'hub.call' action on the hub node, which calls 'calc.echo' on the server node; the publisher
 * emits 'hub.pub' to the hub node, which broadcasts 'tick' to the listener nodes.
 */
const { ServiceBroker } = require('moleculer');
const { runChild, listener } = require('../lib/child.cjs');

function broker(cfg) {
  return new ServiceBroker({
    nodeID: cfg.name,
    namespace: 'bench',
    logger: false,
    metrics: false,
    tracing: false,
    transporter: {
      type: 'TCP',
      options: { udpDiscovery: false, port: cfg.port, urls: cfg.urls, gossipPeriod: 1, useHostname: false },
    },
  });
}

async function start(cfg, schema, waitFor) {
  const b = broker(cfg);
  if (schema) b.createService(schema);
  await b.start();
  if (waitFor.length > 0) await b.waitForServices(waitFor, 20_000, 50);
  return b;
}

async function hub(cfg) {
  const b = await start(
    cfg,
    {
      name: 'hub',
      actions: {
        call(ctx) {
          return ctx.call('calc.echo', ctx.params);
        },
      },
      events: {
        'hub.pub'(ctx) {
          this.broker.broadcast('tick', ctx.params);
        },
      },
    },
    [],
  );
  return { close: () => b.stop() };
}

async function server(cfg) {
  const b = await start(cfg, { name: 'calc', actions: { echo: (ctx) => ctx.params } }, ['hub']);
  return { close: () => b.stop() };
}

async function client(cfg) {
  const b = await start(cfg, null, ['hub', 'calc']);
  // Seeing 'calc' here does not mean the hub sees it yet: probe through the hub until it answers.
  for (let attempt = 0; ; attempt++) {
    try {
      await b.call('hub.call', { id: 0 });
      break;
    } catch (error) {
      if (attempt >= 200) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return {
    call: (arg, cb) => b.call('hub.call', arg).then((r) => cb(null, r), cb),
    close: () => b.stop(),
  };
}

async function publisher(cfg) {
  const b = await start(cfg, null, ['hub', ...cfg.listeners]);
  return { publish: (p) => b.emit('hub.pub', p), close: () => b.stop() };
}

async function listen(cfg) {
  const onEvent = listener(cfg);
  const b = await start(cfg, { name: cfg.name, events: { tick: (ctx) => onEvent(ctx.params) } }, ['hub']);
  return { close: () => b.stop() };
}

runChild((cfg) => ({ hub, server, client, publisher, listener: listen })[cfg.kind](cfg));
