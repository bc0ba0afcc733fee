/**
 * What a supervisor loads of this package and of peers-core does not load node:crypto until a hash
 * is made (docs/memory.md, "The supervisor"): the supervisor imports `@weble/web/site` for
 * PASSWORD_HASH_PATTERN and `@weble/peers-core` (whose root re-exports the federation's hash ring)
 * and hashes nothing. Each case runs in a fresh node process of the BUILT package files (build
 * before testing), so the modules seen are the ones a running supervisor would load.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = fileURLToPath(new URL('.', import.meta.url));

/** Run `body` as an ES module in a fresh node (from this package, so its imports resolve); its stdout parsed as JSON. */
function inFreshNode(body: string): unknown {
  const script = `
const crypto = () => process.moduleLoadList.includes('NativeModule crypto');
${body}`;
  return JSON.parse(
    execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: here, encoding: 'utf8' }),
  );
}

describe('node:crypto on first use', () => {
  it('importing @weble/web/site and @weble/peers-core loads no node:crypto; the first hash loads it and works', () => {
    const seen = inFreshNode(`
const site = await import('@weble/web/site');
const core = await import('@weble/peers-core');
const afterImport = crypto();
const md5 = site.md5Hex('weble');
const afterMd5 = crypto();
const ring = new core.HashRing(['site-a', 'site-b']);
console.log(JSON.stringify({ afterImport, md5, afterMd5, owner: ring.ownerOf('x'), hash: core.ringHash('site-a#0') }));
`);
    expect(seen).toEqual({
      afterImport: false,
      md5: createHash('md5').update('weble', 'utf8').digest('hex'),
      afterMd5: true,
      owner: expect.stringMatching(/^site-[ab]$/),
      hash: expect.any(Number),
    });
  });

  it('the ring hashes with SHA-1 when it is the first to load node:crypto', () => {
    const seen = inFreshNode(`
const { ringHash } = await import('@weble/peers-core');
const before = crypto();
const { createHash } = await import('node:crypto');
console.log(JSON.stringify({ before, ring: ringHash('site-a#0'), sha1: createHash('sha1').update('site-a#0').digest().readUInt32BE(0) }));
`) as { before: boolean; ring: number; sha1: number };
    expect(seen.before).toBe(false);
    expect(seen.ring).toBe(seen.sha1);
  });
});
