/**
 * A monotonic clock for drivers' timing (poll schedules, bus silences). Node's global
 * `performance` loads perf_hooks and its timing modules on first use (about 0.35 MiB of every
 * driver process that touches it, docs/memory.md); `process.hrtime` is already loaded.
 */

/** Milliseconds on a monotonic clock (not wall time): only differences between two readings mean anything. */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
