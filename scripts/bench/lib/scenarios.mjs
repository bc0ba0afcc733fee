/**
 * The two process topologies of the benchmark and the workloads run on them:
 *   calls:  hub + server + client  -> round trip (sequential) and pipelined throughput
 *   fanout: hub + publisher + N listeners -> event deliveries per second
 * Every participant is its own process (lib/children.mjs); every scenario kills its processes.
 */
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Child, killChildren } from './children.mjs';

/** Free TCP ports on loopback (for Moleculer's static node list). */
async function freePorts(n) {
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise((resolve, reject) => {
          const s = createServer();
          s.once('error', reject);
          s.listen(0, '127.0.0.1', () => resolve(s));
        }),
    ),
  );
  const ports = servers.map((s) => s.address().port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

let scenarioCount = 0;

/**
 * Settings of each participant. `peerToPeer` implementations (Moleculer) get a port each and the
 * full node list; the others get the hub's UNIX socket path or, after it started, its TCP port.
 */
async function plan(impl, names, dir) {
  // A fresh path per scenario: a SIGKILLed hub leaves its socket file behind.
  const base = { path: join(dir, `${impl.id}-${++scenarioCount}.sock`) };
  if (!impl.peerToPeer) return Object.fromEntries(names.map((n) => [n, base]));
  const ports = await freePorts(names.length);
  const urls = names.map((n, i) => `127.0.0.1:${ports[i]}/${n}`);
  return Object.fromEntries(names.map((n, i) => [n, { port: ports[i], urls }]));
}

function spawn(impl, name, kind, cfg, extra = {}) {
  return new Child(impl.file, name, { ...cfg, ...extra, kind });
}

/** Round trip and pipelined throughput through the hub. */
export async function runCalls(impl, params, dir) {
  try {
    const cfg = await plan(impl, ['hub', 'server', 'client'], dir);
    const t = params.readyTimeoutMs;
    let all;
    if (impl.peerToPeer) {
      all = [
        spawn(impl, 'hub', 'hub', cfg.hub),
        spawn(impl, 'server', 'server', cfg.server),
        spawn(impl, 'client', 'client', cfg.client),
      ];
      await Promise.all(all.map((c) => c.wait('ready', t)));
    } else {
      const hub = spawn(impl, 'hub', 'hub', cfg.hub);
      const { port } = await hub.wait('ready', t);
      const server = spawn(impl, 'server', 'server', cfg.server, { port });
      await server.wait('ready', t);
      const client = spawn(impl, 'client', 'client', cfg.client, { port });
      await client.wait('ready', t);
      all = [hub, server, client];
    }
    const client = all[2];
    const { rtt: r, pipelined: p } = params;
    const rtt = await client.request({ cmd: 'rtt', warmup: r.warmup, n: r.calls }, r.timeoutMs);
    await client.request({ cmd: 'pipelined', warmup: 0, n: p.warmup, window: p.window }, p.timeoutMs);
    const cpu = () => Promise.all(all.map((c) => c.request({ cmd: 'cpu' }, t)));
    const before = await cpu();
    const pipelined = await client.request({ cmd: 'pipelined', warmup: 0, n: p.calls, window: p.window }, p.timeoutMs);
    const after = await cpu();
    // CPU time each process spent per pipelined call, µs (user + system).
    pipelined.cpuUsPerCall = Object.fromEntries(
      all.map((c, i) => [c.name, (after[i].user + after[i].system - before[i].user - before[i].system) / p.calls]),
    );
    return { rtt, pipelined };
  } finally {
    await killChildren();
  }
}

/** One publisher, `listeners` listeners, all through the hub. */
export async function runFanout(impl, params, dir) {
  const f = params.fanout;
  const listenerNames = Array.from({ length: f.listeners }, (_, i) => `listener${i}`);
  try {
    const names = ['hub', 'publisher', ...listenerNames];
    const cfg = await plan(impl, names, dir);
    const t = params.readyTimeoutMs;
    const common = { events: f.events, warmupEvents: f.warmup, listeners: listenerNames };
    let extra = common;
    const starting = [];
    let hub;
    if (!impl.peerToPeer) {
      hub = spawn(impl, 'hub', 'hub', cfg.hub);
      const info = await hub.wait('ready', t);
      extra = { ...common, port: info.port };
    } else {
      hub = spawn(impl, 'hub', 'hub', cfg.hub, common);
      starting.push(hub);
    }
    const listeners = listenerNames.map((n) => spawn(impl, n, 'listener', cfg[n], extra));
    const publisher = spawn(impl, 'publisher', 'publisher', cfg.publisher, extra);
    starting.push(publisher, ...listeners);
    await Promise.all(starting.map((c) => c.wait('ready', t)));

    // Every subscription live: each listener has seen a marker event.
    await publisher.request({ cmd: 'prime' }, t);
    await Promise.all(listeners.map((c) => c.wait('primed', t)));
    await publisher.request({ cmd: 'unprime' }, t);
    await sleep(100); // markers still in flight are ignored by the listeners; let them drain
    // Warm-up round (JIT, buffers), untimed.
    const warmed = Promise.all(listeners.map((c) => c.wait('warmed', f.timeoutMs)));
    await publisher.request({ cmd: 'publish', n: f.warmup, burst: f.burst, warmup: true }, f.timeoutMs);
    await warmed;

    const everyone = starting.includes(hub) ? [...starting] : [hub, ...starting];
    const cpu = () => Promise.all(everyone.map((c) => c.request({ cmd: 'cpu' }, t)));
    const before = await cpu();
    const received = Promise.all(listeners.map((c) => c.wait('received', f.timeoutMs)));
    const sent = await publisher.request({ cmd: 'publish', n: f.events, burst: f.burst }, f.timeoutMs);
    const done = await received;
    const after = await cpu();
    const cpuUs = (i) => after[i].user + after[i].system - before[i].user - before[i].system;
    const listenerIdx = everyone.map((c, i) => (listeners.includes(c) ? i : -1)).filter((i) => i >= 0);
    const start = BigInt(sent.start);
    const end = done.reduce((max, d) => (BigInt(d.end) > max ? BigInt(d.end) : max), 0n);
    const seconds = Number(end - start) / 1e9;
    const deliveries = f.events * f.listeners;
    return {
      fanout: {
        events: f.events,
        listeners: f.listeners,
        deliveries,
        seconds,
        perSec: deliveries / seconds,
        publishSeconds: sent.sentNs / 1e9,
        outOfOrder: done.reduce((s, d) => s + d.outOfOrder, 0),
        // CPU time per delivery (hub, publisher) and per received event (average listener), µs.
        cpuUsPerDelivery: {
          hub: cpuUs(everyone.indexOf(hub)) / deliveries,
          publisher: cpuUs(everyone.indexOf(publisher)) / deliveries,
          listenerPerEvent: listenerIdx.reduce((s, i) => s + cpuUs(i), 0) / deliveries,
        },
      },
    };
  } finally {
    await killChildren();
  }
}
