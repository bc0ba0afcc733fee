'use strict';
/**
 * What every benchmark child process shares: the IPC harness that talks to the orchestrator
 * (run.mjs), the payload, and the three workload drivers. An implementation file only says how to
 * make one call, publish one event and listen to events; the timing code is the same for all.
 *
 * Clock: process.hrtime.bigint() is CLOCK_MONOTONIC on Linux, one clock for every process on the
 * machine, so a publisher's start and a listener's end can be subtracted.
 */

// A child never outlives the orchestrator: when the IPC channel drops (orchestrator exited or was
// killed), exit at once.
process.on('disconnect', () => process.exit(0));

const now = () => process.hrtime.bigint();

/** The message of every workload: small, like a gateway value update. */
function payload(id) {
  return { id, value: 21.7, key: '4/7/25' };
}

/** Settings of this process as passed by the orchestrator: { name, kind, path?, port?, ... }. */
function config() {
  return { name: process.argv[2], ...JSON.parse(process.env.BENCH_CONFIG || '{}') };
}

function send(message) {
  if (process.connected) process.send(message);
}

/**
 * Run one child: `setup(cfg)` builds the role and resolves with its handlers
 * ({ info?, call?(arg, cb), publish?(payload), close?() }); `info` goes out with 'ready' (the
 * socket.io hub's port); then commands from the orchestrator drive the handlers.
 */
function runChild(setup) {
  const cfg = config();
  const fail = (error) => {
    send({ type: 'error', message: String((error && error.stack) || error) });
    setTimeout(() => process.exit(1), 50);
  };
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
  Promise.resolve()
    .then(() => setup(cfg))
    .then((role) => {
      role = role || {};
      process.on('message', (msg) => {
        Promise.resolve()
          .then(() => command(role, cfg, msg))
          .then((result) => send({ type: 'result', cmd: msg.cmd, ...(result || {}) }), fail);
      });
      send({ type: 'ready', ...(role.info || {}) });
    })
    .catch(fail);
}

let priming;

function command(role, cfg, msg) {
  switch (msg.cmd) {
    case 'rtt':
      return rtt(role.call, msg.warmup, msg.n);
    case 'pipelined':
      return pipelined(role.call, msg.warmup, msg.n, msg.window);
    case 'prime':
      // Publish marker events (id -1) until told to stop: listeners report their first one, so
      // the orchestrator knows every subscription is live before timing starts.
      priming = setInterval(() => role.publish(payload(-1)), 20);
      return undefined;
    case 'unprime':
      clearInterval(priming);
      return undefined;
    case 'publish':
      return publish(role.publish, msg.n, msg.burst, msg.warmup === true);
    case 'cpu': {
      const { user, system } = process.cpuUsage();
      return { user, system };
    }
    case 'exit':
      return Promise.resolve(role.close && role.close()).then(() => process.exit(0));
    default:
      throw new Error(`unknown command ${msg.cmd}`);
  }
}

/** Sequential calls, one in flight; latency of each timed call in ns. */
function rtt(call, warmup, n) {
  return new Promise((resolve, reject) => {
    const lat = new Float64Array(n);
    let i = -warmup;
    let t0 = now();
    let bad = 0;
    const next = () => {
      t0 = now();
      call(payload(i), done);
    };
    const done = (err, result) => {
      const t = now();
      if (err) return reject(err);
      if (!result || result.id !== i) bad++;
      if (i >= 0) lat[i] = Number(t - t0);
      i++;
      if (i < n) next();
      else resolve(summarize(lat, bad));
    };
    next();
  });
}

function summarize(lat, bad) {
  const sorted = Float64Array.from(lat).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] / 1000;
  return {
    n: sorted.length,
    meanUs: sum / sorted.length / 1000,
    p50Us: at(0.5),
    p99Us: at(0.99),
    maxUs: sorted[sorted.length - 1] / 1000,
    bad,
  };
}

/** `n` calls with at most `window` outstanding (after `warmup` untimed ones); calls/s. */
async function pipelined(call, warmup, n, window) {
  if (warmup > 0) await pipelinedRun(call, warmup, window);
  return pipelinedRun(call, n, window);
}

function pipelinedRun(call, n, window) {
  return new Promise((resolve, reject) => {
    let issued = 0;
    let completed = 0;
    let bad = 0;
    const t0 = now();
    const done = (err, result) => {
      if (err) return reject(err);
      if (!result || typeof result.id !== 'number') bad++;
      completed++;
      if (issued < n) issue();
      else if (completed === n) {
        const seconds = Number(now() - t0) / 1e9;
        resolve({ n, seconds, perSec: n / seconds, bad });
      }
    };
    const issue = () => {
      const id = issued++;
      call(payload(id), done);
    };
    for (let k = 0; k < Math.min(window, n); k++) issue();
  });
}

/**
 * Emit `n` events, `burst` per macrotask so the loop yields to I/O like a real publisher.
 * Warm-up events carry ids -2, -3, ... so listeners count them apart.
 */
function publish(emit, n, burst, warmup) {
  return new Promise((resolve) => {
    const start = now();
    let i = 0;
    const step = () => {
      const end = Math.min(n, i + burst);
      for (; i < end; i++) emit(payload(warmup ? -2 - i : i));
      if (i < n) setImmediate(step);
      else resolve({ start: String(start), sentNs: Number(now() - start) });
    };
    step();
  });
}

/**
 * The listener side of fan-out: returns the function to call with each event's payload. Reports
 * 'primed' on the first marker event, 'warmed' after `cfg.warmupEvents` warm-up events and
 * 'received' (with the monotonic time) once it has all `cfg.events` events; counts ids out of
 * order as a check.
 */
function listener(cfg) {
  let primed = false;
  let warm = 0;
  let count = 0;
  let outOfOrder = 0;
  let last = -1;
  return (p) => {
    const id = p && p.id;
    if (id < 0) {
      if (id === -1) {
        if (!primed) send({ type: 'primed' });
        primed = true;
      } else if (++warm === cfg.warmupEvents) send({ type: 'warmed' });
      return;
    }
    if (id !== last + 1) outOfOrder++;
    last = id;
    count++;
    if (count === cfg.events) send({ type: 'received', end: String(now()), count, outOfOrder });
  };
}

module.exports = { runChild, listener, payload, now };
