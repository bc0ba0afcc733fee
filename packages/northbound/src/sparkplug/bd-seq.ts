/**
 * The Sparkplug birth/death sequence number (spec §6.4.6.5, `bdSeq`): 0-255, one more for every new
 * MQTT session, kept in the bridge's buffer directory so a restarted bridge does not reuse the last one.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const FILE = 'bdseq.json';

/** The next bdSeq for `dir` (0 the first time), saved before it is used. */
export function nextBdSeq(dir: string): number {
  let last = -1;
  try {
    const parsed = JSON.parse(readFileSync(join(dir, FILE), 'utf8')) as { bdSeq?: unknown };
    if (typeof parsed.bdSeq === 'number' && Number.isInteger(parsed.bdSeq)) last = parsed.bdSeq;
  } catch {
    // first session in this directory
  }
  const next = (last + 1) % 256;
  try {
    writeFileSync(join(dir, `${FILE}.tmp`), JSON.stringify({ bdSeq: next }));
    renameSync(join(dir, `${FILE}.tmp`), join(dir, FILE));
  } catch {
    // a directory we cannot write: the buffer reports it; the session still works
  }
  return next;
}
