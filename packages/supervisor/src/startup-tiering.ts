/**
 * TurboFan held back during the one-shot work of `weble-supervisor`'s start-up, on again for the rest
 * of its life (docs/memory.md "The supervisor"). Loading the supervisor's modules (Node's module
 * resolution for a few hundred files) and parsing and validating site.yaml (yaml's flow-collection
 * parser, zod) make functions hot that do not run again. Their optimisations run on V8's worker
 * threads, in compiler zones of up to 480 KiB: freeing those raised glibc's mmap and trim thresholds
 * for the whole process, and the workers' malloc arenas kept about 2 MiB of freed compiler memory
 * for good. `--turbo-filter` is read each time a function gets hot, so everything that runs after
 * `optimiseFromNowOn` (the hub's relay, the modules, the drivers' links) is optimised as usual.
 */
import { setFlagsFromString } from 'node:v8';

/** No function is optimised by TurboFan from now on (Ignition and Sparkplug still run them). */
export function holdOptimisation(): void {
  setFlagsFromString('--turbo-filter=~');
}

/** Every function may be optimised again (V8's default filter). */
export function optimiseFromNowOn(): void {
  setFlagsFromString('--turbo-filter=*');
}
