/**
 * monotonicMs (src/clock.ts): a monotonic millisecond clock that, unlike the global `performance`,
 * loads no perf_hooks into a driver process (docs/memory.md). Checked in a real Node process on the
 * built kit (`dist/index.cjs`).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { monotonicMs } from '../src/clock.js';

const builtKit = fileURLToPath(new URL('../dist/index.cjs', import.meta.url));

describe('monotonicMs', () => {
  it('never goes back, and follows process.hrtime in milliseconds', () => {
    const readings = Array.from({ length: 1_000 }, () => monotonicMs());
    for (let i = 1; i < readings.length; i += 1) expect(readings[i]).toBeGreaterThanOrEqual(readings[i - 1]!);
    const hrtimeMs = Number(process.hrtime.bigint()) / 1e6;
    expect(Math.abs(monotonicMs() - hrtimeMs)).toBeLessThan(1_000);
  });

  it('loads no perf_hooks module into the process that reads it (the global performance does)', () => {
    const loaded = (code: string): string[] =>
      JSON.parse(execFileSync(process.execPath, ['-e', code], { encoding: 'utf8' }));
    const withClock = loaded(
      `require(${JSON.stringify(builtKit)}).monotonicMs(); console.log(JSON.stringify(process.moduleLoadList));`,
    );
    expect(withClock).not.toContain('NativeModule perf_hooks');
    const withPerformance = loaded(
      `require(${JSON.stringify(builtKit)}); performance.now(); console.log(JSON.stringify(process.moduleLoadList));`,
    );
    expect(withPerformance).toContain('NativeModule perf_hooks');
  });
});
