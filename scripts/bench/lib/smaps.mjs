/**
 * A process's resident memory by kind of mapping, from `/proc/<pid>/smaps`, for the memory scripts
 * (driver-memory.mjs, supervisor-memory.mjs): pages of the node binary, anonymous memory (V8's
 * heap, malloc arenas of threads), `[heap]` (the main malloc arena), shared libraries, the rest.
 */
import { readFileSync, realpathSync } from 'node:fs';

const nodeBinary = realpathSync(process.execPath);

/** The kind of a mapping's path. */
function kindOf(path) {
  if (path === nodeBinary) return 'node';
  if (path === '') return 'anon';
  if (path === '[heap]') return 'heap';
  return path.includes('.so') ? 'libs' : 'other';
}

/** RSS of `pid` in KiB by kind of mapping. */
export function smapsByKind(pid) {
  const totals = { total: 0, node: 0, anon: 0, heap: 0, libs: 0, other: 0 };
  let kind = 'other';
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const mapping = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (mapping) {
      kind = kindOf(mapping[1]);
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss) {
      totals[kind] += Number(rss[1]);
      totals.total += Number(rss[1]);
    }
  }
  return totals;
}
