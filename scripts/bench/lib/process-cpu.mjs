// CPU time of processes by pid (Linux /proc: user + system, clock ticks of 10 ms), for benchmarks
// that say what each process of a path costs per value.
import { readFileSync } from 'node:fs';

const TICK_MS = 10;

/** CPU ms used so far by `pid` (0 once it is gone). */
export function cpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return 0;
  }
}

/** Start counting the CPU time of named pids; `stop()` gives ms per name. */
export function cpuMeter(pids) {
  const start = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuMs(pid)]));
  return {
    stop: () => Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuMs(pid) - start[name]])),
  };
}
