/**
 * How `weble-supervisor` spends its memory on start-up's one-shot work (docs/memory.md "The
 * supervisor"): TurboFan is held back while it runs, and its garbage is compacted away once the site
 * is up. Loading the supervisor's modules (Node's module resolution for a few hundred files) and
 * parsing and validating site.yaml (yaml's flow-collection parser, zod) make functions hot that do
 * not run again. Their optimisations run on V8's worker threads, in compiler zones of up to 480 KiB:
 * freeing those raised glibc's mmap and trim thresholds for the whole process, and the workers'
 * malloc arenas kept about 2 MiB of freed compiler memory for good. `--turbo-filter` is read each
 * time a function gets hot, so everything that runs after `optimiseFromNowOn` (the hub's relay, the
 * modules, the drivers' links) is optimised as usual.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** No function is optimised by TurboFan from now on (Ignition and Sparkplug still run them). */
export function holdOptimisation(): void {
  setFlagsFromString('--turbo-filter=~');
}

/** Every function may be optimised again (V8's default filter). */
export function optimiseFromNowOn(): void {
  setFlagsFromString('--turbo-filter=*');
}

/** How long after the site is up its heap is compacted (the drivers' first exchanges are over by then). */
export const COMPACT_AFTER_START_MS = 5_000;

/**
 * One compacting full garbage collection, once the site is up. Start-up's garbage (modules loading,
 * site.yaml parsed and validated, 50 drivers spawned) is spread over the old generation's pages,
 * and V8 neither compacts nor gives back the pages of an idle process on its own: moving the
 * survivors together gives back 1-2 MiB for good (docs/memory.md "The supervisor"). `--expose-gc`
 * gives `gc` only to contexts made after it is set: the function comes from a throw-away context.
 */
export function compactAfterStart(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  setFlagsFromString('--no-expose-gc');
  setFlagsFromString('--compact-on-every-full-gc');
  try {
    gc();
  } finally {
    setFlagsFromString('--no-compact-on-every-full-gc');
  }
}
