/**
 * Turn measured rounds into table rows, the markdown table and the target verdicts.
 * Pure: values in, values or text out.
 *
 * A row: { workload: 'rtt'|'pipelined'|'fanout', impl, label, transport, value, p50?, p99?,
 * rounds, error? } where value is the mean round trip in µs (rtt) or a rate per second.
 */

export const WORKLOADS = {
  rtt: { title: 'Round trip', unit: 'µs', lowerIsBetter: true },
  pipelined: { title: 'Pipelined calls', unit: 'calls/s', lowerIsBetter: false },
  fanout: { title: 'Event fan-out', unit: 'deliveries/s', lowerIsBetter: false },
};

const fmtInt = (n) => Math.round(n).toLocaleString('en-US');
const fmt1 = (n) => n.toFixed(1);
const ratio = (n) => `${n.toFixed(2)}x`;

/** Median of numbers (mean of the middle two for an even count). */
export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Rows of one implementation from its rounds ([{ rtt, pipelined, fanout }]). */
export function aggregate(impl, rounds) {
  const rows = [];
  for (const workload of Object.keys(WORKLOADS)) {
    const row = { workload, impl: impl.id, label: impl.label, transport: impl.transport };
    const ok = rounds.map((r) => r[workload]).filter((m) => m && m.error === undefined);
    if (ok.length === 0) {
      rows.push({ ...row, error: rounds.map((r) => r[workload]?.error).find(Boolean) ?? 'no measurement' });
      continue;
    }
    const failed = rounds.length - ok.length;
    // Wrong answers (a result whose id is not the call's) and events out of order: should be 0.
    const anomalies = ok.reduce((n, m) => n + (m.bad ?? 0) + (m.outOfOrder ?? 0), 0);
    if (workload === 'rtt') {
      rows.push({
        ...row,
        value: median(ok.map((m) => m.meanUs)),
        p50: median(ok.map((m) => m.p50Us)),
        p99: median(ok.map((m) => m.p99Us)),
        rounds: ok.length,
        failed,
        anomalies,
      });
    } else {
      rows.push({ ...row, value: median(ok.map((m) => m.perSec)), rounds: ok.length, failed, anomalies });
    }
  }
  return rows;
}

function find(rows, workload, impl) {
  return rows.find((r) => r.workload === workload && r.impl === impl && r.error === undefined);
}

/** Markdown table: one row per workload x implementation. */
export function table(rows) {
  const lines = [
    '| Workload | Implementation | Transport | Mean (µs) | p50 (µs) | p99 (µs) | Throughput | vs raw relay |',
    '|---|---|---|---:|---:|---:|---:|---:|',
  ];
  for (const [workload, w] of Object.entries(WORKLOADS)) {
    const base = find(rows, workload, 'raw');
    const title = `${w.title} (${w.lowerIsBetter ? 'lower' : 'higher'} is better)`;
    for (const r of rows.filter((x) => x.workload === workload)) {
      if (r.error !== undefined) {
        lines.push(
          `| ${title} | ${r.label} | ${r.transport} |  |  |  |  | failed: ${r.error.split('\n')[0].replace(/\|/g, '/').slice(0, 100)} |`,
        );
        continue;
      }
      const vs = base ? ratio(r.value / base.value) : 'n/a';
      const note =
        (r.failed ? ` (${r.failed} round(s) failed)` : '') +
        (r.anomalies ? ` (${r.anomalies} wrong/out-of-order)` : '');
      if (workload === 'rtt')
        lines.push(
          `| ${title} | ${r.label} | ${r.transport} | ${fmt1(r.value)} | ${fmt1(r.p50)} | ${fmt1(r.p99)} |  | ${vs}${note} |`,
        );
      else
        lines.push(`| ${title} | ${r.label} | ${r.transport} |  |  |  | ${fmtInt(r.value)} ${w.unit} | ${vs}${note} |`);
    }
  }
  return lines.join('\n');
}

/** The three targets and whether each is met. */
export function targets(rows) {
  const out = [];
  const wr = find(rows, 'rtt', 'weble');
  const rr = find(rows, 'rtt', 'raw');
  out.push({
    target: 'weble round trip within 1.3x of raw relay',
    met: Boolean(wr && rr && wr.value <= 1.3 * rr.value),
    detail:
      wr && rr
        ? `mean ${fmt1(wr.value)} µs vs ${fmt1(rr.value)} µs = ${ratio(wr.value / rr.value)}`
        : 'missing measurement',
  });
  const wp = find(rows, 'pipelined', 'weble');
  const rp = find(rows, 'pipelined', 'raw');
  out.push({
    target: 'weble pipelined throughput >= raw relay',
    met: Boolean(wp && rp && wp.value >= rp.value),
    detail:
      wp && rp
        ? `${fmtInt(wp.value)}/s vs ${fmtInt(rp.value)}/s = ${ratio(wp.value / rp.value)}`
        : 'missing measurement',
  });
  const losses = [];
  const missing = [];
  const libraries = [...new Set(rows.filter((r) => !['raw', 'weble'].includes(r.impl)).map((r) => r.impl))];
  for (const [workload, w] of Object.entries(WORKLOADS)) {
    const mine = find(rows, workload, 'weble');
    for (const lib of libraries) {
      const other = find(rows, workload, lib);
      if (!other) {
        missing.push(`${workload}/${lib}`);
        continue;
      }
      if (!mine) losses.push(`${workload}: weble not measured`);
      else if (w.lowerIsBetter ? mine.value >= other.value : mine.value <= other.value)
        losses.push(`${workload} vs ${other.label}`);
    }
  }
  const names = libraries.map((l) => rows.find((r) => r.impl === l).label.split(' (')[0]).join(', ');
  out.push({
    target: 'weble faster than every peer library on every workload',
    met: losses.length === 0 && libraries.length > 0,
    detail:
      (losses.length === 0 ? `faster than ${names || 'none measured'}` : `not faster on: ${losses.join('; ')}`) +
      (missing.length ? `; not measured: ${missing.join(', ')}` : ''),
  });
  return out;
}

export function targetLines(list) {
  return list.map((t) => `- ${t.met ? 'MET' : 'NOT MET'}: ${t.target} (${t.detail})`).join('\n');
}

/**
 * CPU time spent per pipelined call and per fan-out delivery, by process (median of rounds).
 * Less sensitive to scheduling noise than wall-clock rates on a small shared machine.
 */
export function cpuTable(impls, samples) {
  const lines = [
    '| Implementation | pipelined: hub | server | client | total µs/call | fan-out: hub | publisher | listener | total µs/delivery |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  const med = (list) => (list.length ? median(list) : undefined);
  const f = (n) => (n === undefined ? 'n/a' : n.toFixed(2));
  for (const impl of impls) {
    const rounds = samples[impl.id];
    const calls = rounds.map((r) => r.pipelined?.cpuUsPerCall).filter(Boolean);
    const fan = rounds.map((r) => r.fanout?.cpuUsPerDelivery).filter(Boolean);
    const c = ['hub', 'server', 'client'].map((k) => med(calls.map((x) => x[k])));
    const e = ['hub', 'publisher', 'listenerPerEvent'].map((k) => med(fan.map((x) => x[k])));
    const sum = (xs) => (xs.some((x) => x === undefined) ? undefined : xs.reduce((a, b) => a + b, 0));
    lines.push(`| ${impl.label} | ${c.map(f).join(' | ')} | ${f(sum(c))} | ${e.map(f).join(' | ')} | ${f(sum(e))} |`);
  }
  return lines.join('\n');
}
