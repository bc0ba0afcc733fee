/**
 * `pnpm bench` (after codec.mjs): hub-routed round trip, pipelined call throughput and event
 * fan-out for weble (@weble/peers-core), a raw UNIX socket relay (the floor), dnode, socket.io
 * and Moleculer, every participant in its own process. Each implementation is measured in
 * several rounds, interleaved (round 1 of all, then round 2 of all...), and the table shows the
 * median of the rounds. Prints a markdown table and the targets; writes
 * bench-results/latest.json with every round.
 *
 * Environment: BENCH_ONLY=raw,weble limits the implementations; BENCH_ROUNDS=n rounds of the
 * libraries (default 3) and BENCH_CORE_ROUNDS=n of raw and weble (default 5: they are cheap and
 * the targets compare them); BENCH_QUICK=1 shrinks everything (a smoke test, not for numbers);
 * BENCH_PROFILE=hub,client writes V8 CPU profiles of those participants (BENCH_PROFILE_DIR,
 * default bench-results/profiles).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { aggregate, cpuTable, table, targetLines, targets } from './lib/report.mjs';
import { runCalls, runFanout } from './lib/scenarios.mjs';
import { record } from './lib/summary.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');
const quick = process.env.BENCH_QUICK === '1';
const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? (quick ? 1 : 3)));
const coreRounds = Math.max(1, Number(process.env.BENCH_CORE_ROUNDS ?? (quick ? 1 : 5)));

const params = {
  rounds: { libraries: rounds, rawAndWeble: coreRounds },
  readyTimeoutMs: 20_000,
  rtt: { warmup: 500, calls: quick ? 1000 : 3000, timeoutMs: 30_000 },
  pipelined: { warmup: quick ? 2000 : 5000, calls: quick ? 10_000 : 50_000, window: 1000, timeoutMs: 60_000 },
  fanout: { warmup: quick ? 2000 : 5000, events: quick ? 5000 : 20_000, listeners: 10, burst: 500, timeoutMs: 60_000 },
};

/** Implementations, the floor first. */
const IMPLS = [
  {
    id: 'raw',
    label: 'raw relay (JSON frames)',
    transport: 'UNIX socket',
    file: join(here, 'impl/raw.cjs'),
    core: true,
  },
  {
    id: 'weble',
    label: 'weble (@weble/peers-core)',
    transport: 'UNIX socket',
    file: join(here, 'impl/weble.mjs'),
    core: true,
  },
  { id: 'dnode', label: 'dnode 1.2.2', transport: 'UNIX socket', file: join(here, 'impl/dnode.cjs') },
  {
    id: 'socketio',
    label: 'socket.io 4.8.4 (acks)',
    transport: 'TCP loopback (WebSocket)',
    file: join(here, 'impl/socketio.cjs'),
  },
  {
    id: 'moleculer',
    label: 'Moleculer 0.14.36 (TCP transporter)',
    transport: 'TCP loopback',
    file: join(here, 'impl/moleculer.cjs'),
    peerToPeer: true,
  },
];

const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
const impls = only ? IMPLS.filter((i) => only.includes(i.id)) : IMPLS;

function log(message) {
  process.stderr.write(`${message}\n`);
}

const message = (error) => String(error?.message ?? error);

/** One round of one implementation: { rtt, pipelined, fanout } results or errors. */
async function measure(impl, dir) {
  const out = {};
  try {
    Object.assign(out, await runCalls(impl, params, dir));
  } catch (error) {
    out.rtt = out.pipelined = { error: message(error) };
  }
  try {
    Object.assign(out, await runFanout(impl, params, dir));
  } catch (error) {
    out.fanout = { error: message(error) };
  }
  return out;
}

async function main() {
  const dir = mkdtempSync(join(os.tmpdir(), 'weble-bench-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true })); // also on SIGINT/SIGTERM
  const started = Date.now();
  const load = os.loadavg()[0];
  const samples = Object.fromEntries(impls.map((i) => [i.id, []]));
  try {
    // Interleaved: round 1 of every implementation, then round 2... so drifting machine load
    // spreads over all of them.
    const total = Math.max(rounds, coreRounds);
    for (let round = 1; round <= total; round++) {
      for (const impl of impls) {
        const mine = impl.core ? coreRounds : rounds;
        if (round > mine) continue;
        const t0 = Date.now();
        const result = await measure(impl, dir);
        samples[impl.id].push(result);
        const failed = Object.entries(result)
          .filter(([, m]) => m.error !== undefined)
          .map(([w, m]) => `${w}: ${m.error.split('\n')[0]}`);
        log(
          `bench: round ${round}/${mine} ${impl.id} ${((Date.now() - t0) / 1000).toFixed(1)} s${failed.length ? ` FAILED ${failed.join('; ')}` : ''}`,
        );
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const rows = impls.flatMap((impl) => aggregate(impl, samples[impl.id]));
  for (const r of rows) if (r.error !== undefined) log(`bench: ${r.impl} ${r.workload} failed: ${r.error}`);

  const verdicts = targets(rows);
  const cpus = os.cpus();
  const machine = `${cpus.length} x ${cpus[0]?.model ?? 'cpu'}, Node ${process.version}, ${os.platform()} ${os.release()}`;
  console.log('\n## Mesh benchmark: every participant a separate process, all traffic through a hub process\n');
  console.log(
    `Median of ${coreRounds} rounds (raw, weble) or ${rounds} (libraries), each in fresh processes. ` +
      `Round trip: ${params.rtt.calls} sequential calls after ${params.rtt.warmup} warm-up, ` +
      `ratio = mean impl/raw (lower is better). Pipelined: ${params.pipelined.calls} calls, ${params.pipelined.window} in flight, ` +
      `after ${params.pipelined.warmup} warm-up. Fan-out: ${params.fanout.events} events to ${params.fanout.listeners} listener processes ` +
      `(after ${params.fanout.warmup} warm-up), deliveries/s = total deliveries / time until the last listener had all. ` +
      "Throughput ratio = impl/raw (higher is better). Payload {id, value: 21.7, key: '4/7/25'}.\n",
  );
  console.log(table(rows));
  console.log('\nCPU time (user + system, all threads) per pipelined call and per fan-out delivery, µs, by process:\n');
  console.log(cpuTable(impls, samples));
  console.log('\nTargets:');
  console.log(targetLines(verdicts));
  console.log(
    `\nMachine: ${machine}; 1-min load average before the run ${load.toFixed(2)}` +
      `${load > 0.7 ? ' (other work was running: expect noise)' : ''}; ` +
      `run took ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );

  const outDir = join(repo, 'bench-results');
  mkdirSync(outDir, { recursive: true });
  const json = {
    date: new Date().toISOString(),
    machine: {
      cpus: cpus.length,
      model: cpus[0]?.model,
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
      loadavg1: load,
    },
    params,
    rows,
    rounds: samples,
    targets: verdicts,
  };
  writeFileSync(join(outDir, 'latest.json'), `${JSON.stringify(json, null, 2)}\n`);
  recordSummary(rows);
  log(`bench: wrote ${join(outDir, 'latest.json')}`);
}

/** Headline rows for the summary: weble against the raw relay, and against the best peer library. */
function recordSummary(rows) {
  const get = (workload, impl) => rows.find((r) => r.workload === workload && r.impl === impl && r.error === undefined);
  const summary = [];
  const workloads = [
    { id: 'rtt', measure: 'round trip, mean of sequential calls', unit: 'µs', better: 'lower', target: '<= 1.3x' },
    {
      id: 'pipelined',
      measure: 'pipelined calls (1000 in flight)',
      unit: 'calls/s',
      better: 'higher',
      target: '>= 1x',
    },
    { id: 'fanout', measure: 'event fan-out to 10 processes', unit: 'deliveries/s', better: 'higher' },
  ];
  for (const w of workloads) {
    const ours = get(w.id, 'weble');
    const raw = get(w.id, 'raw');
    if (!ours) continue;
    if (raw) {
      const ratio = ours.value / raw.value;
      const met = w.target === undefined ? undefined : w.better === 'lower' ? ratio <= 1.3 : ratio >= 1;
      summary.push({
        measure: w.measure,
        value: ours.value,
        unit: w.unit,
        baseline: 'raw UNIX socket relay',
        baselineValue: raw.value,
        better: w.better,
        ...(w.target ? { target: w.target, met } : {}),
      });
    }
    const libraries = rows.filter(
      (r) => r.workload === w.id && r.error === undefined && !['weble', 'raw'].includes(r.impl),
    );
    if (libraries.length > 0) {
      const best = libraries.reduce((a, b) => ((w.better === 'lower' ? b.value < a.value : b.value > a.value) ? b : a));
      const met = w.better === 'lower' ? ours.value < best.value : ours.value > best.value;
      summary.push({
        measure: w.measure,
        value: ours.value,
        unit: w.unit,
        baseline: `best peer library (${best.label ?? best.impl})`,
        baselineValue: best.value,
        better: w.better,
        target: 'better',
        met,
      });
    }
  }
  record('mesh', summary);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
