// The last part of `pnpm bench`: every benchmark's headline measures in one table, each against
// the baseline measured in the same run. BENCH_SINCE (ms epoch) keeps only results of this run.
import { summaryTable } from './lib/summary.mjs';

console.log('\n## Summary: every benchmark of this run against its baseline\n');
console.log(summaryTable(Number(process.env.BENCH_SINCE ?? 0)));
console.log('\nRatio = weble / baseline; "Better" says which direction is better for weble.');
