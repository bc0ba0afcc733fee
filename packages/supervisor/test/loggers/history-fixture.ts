/**
 * History written straight into a site's database before the site starts (the store's own writer
 * on a real file), for tests that need more samples than a test can log through a gateway.
 */
import { join } from 'node:path';
import { toColumns, type SampleRow } from '../../src/loggers/contract.js';
import { openSampleDatabase } from '../../src/loggers/store/sample-db.js';
import { SampleWriter } from '../../src/loggers/store/sample-writer.js';

/** Write `count` samples of `key` for `logger`, `stepMs` apart from `start`, value = `valueOf(i)`. */
export function seedHistory(
  siteDir: string,
  logger: string,
  key: string,
  start: number,
  stepMs: number,
  count: number,
  valueOf: (i: number) => number,
): void {
  const { db } = openSampleDatabase(join(siteDir, 'run', 'history'));
  const writer = new SampleWriter(db);
  for (let offset = 0; offset < count; offset += 50_000) {
    const rows: SampleRow[] = [];
    for (let i = offset; i < Math.min(count, offset + 50_000); i++)
      rows.push([logger, key, start + i * stepMs, valueOf(i), 'good']);
    writer.append(toColumns(rows));
  }
  db.close();
}
