// One summary table for every benchmark of the project. Each bench script calls `record(name,
// rows)` with its headline measures against the baseline it measured in the same run; `pnpm bench`
// ends with scripts/bench/summary.mjs, which prints them all in one table.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SUMMARY_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bench-results', 'summary');

/**
 * @typedef {object} SummaryRow
 * @property {string} measure    what was measured, e.g. 'round trip, mean'
 * @property {number} value      ours
 * @property {string} unit       e.g. 'µs', 'calls/s', 'MiB', 'requests'
 * @property {string} baseline   what we compare with, e.g. 'raw UNIX relay'
 * @property {number} baselineValue
 * @property {'lower'|'higher'} better  which direction is better for `value`
 * @property {string} [target]   the target, e.g. '<= 1.3x'
 * @property {boolean} [met]     whether the target was met
 */

/** Save the headline rows of benchmark `name` (overwrites the previous run's). */
export function record(name, rows) {
  mkdirSync(SUMMARY_DIR, { recursive: true });
  writeFileSync(
    join(SUMMARY_DIR, `${name}.json`),
    `${JSON.stringify({ name, date: new Date().toISOString(), rows }, null, 2)}\n`,
  );
}

const format = (n) =>
  Math.abs(n) >= 100 ? Math.round(n).toLocaleString('en-US') : Number(n.toPrecision(3)).toString();

/** The summary table (markdown) of the results recorded since `since` (ms epoch). */
export function summaryTable(since = 0) {
  let files = [];
  try {
    files = readdirSync(SUMMARY_DIR).filter((f) => f.endsWith('.json'));
  } catch {
    return 'no benchmark results recorded';
  }
  const lines = [
    '| Benchmark | Measure | Weble | Baseline (same run) | Baseline | Ratio | Better | Target |',
    '|---|---|---:|---|---:|---:|---|---|',
  ];
  for (const file of files.sort()) {
    const { name, date, rows } = JSON.parse(readFileSync(join(SUMMARY_DIR, file), 'utf8'));
    if (Date.parse(date) < since) continue;
    for (const r of rows) {
      const ratio = r.baselineValue === 0 ? NaN : r.value / r.baselineValue;
      const target =
        r.target === undefined ? '' : `${r.target} ${r.met === undefined ? '' : r.met ? 'met' : '**not met**'}`;
      lines.push(
        `| ${name} | ${r.measure} | ${format(r.value)} ${r.unit} | ${r.baseline} | ${format(r.baselineValue)} ${r.unit} ` +
          `| ${Number.isFinite(ratio) ? `${ratio.toFixed(2)}x` : 'n/a'} | ${r.better} | ${target.trim()} |`,
      );
    }
  }
  return lines.join('\n');
}
