/**
 * Values that move, for demos and tests: pure functions of time (and of a random source for the
 * random walk), so they are tested without clocks. Times are epoch milliseconds.
 */

/** `min + (max - min) * (1 + sin(2π (t / periodMs + phase))) / 2`. */
export interface SineSimulation {
  kind: 'sine';
  min: number;
  max: number;
  /** Period, ms. */
  periodMs: number;
  /** Fraction of a period added to t, 0..1. Default 0. */
  phase?: number | undefined;
}

/** Each tick the value moves by a random amount in [-step, +step], kept within [min, max]. */
export interface RandomWalkSimulation {
  kind: 'random-walk';
  min: number;
  max: number;
  /** Largest move per tick. */
  step: number;
  /** First value. Default the middle of [min, max]. */
  start?: number | undefined;
}

/** A boolean that is false for half a period, then true for the other half. */
export interface ToggleSimulation {
  kind: 'toggle';
  /** Period, ms. */
  periodMs: number;
}

/** Simulated values keep this many decimals. */
export const DECIMALS = 3;

function round(value: number): number {
  const f = 10 ** DECIMALS;
  return Math.round(value * f) / f;
}

/** The sine's value at time `t`. */
export function sineAt(sim: SineSimulation, t: number): number {
  const angle = 2 * Math.PI * (t / sim.periodMs + (sim.phase ?? 0));
  return round(sim.min + ((sim.max - sim.min) * (1 + Math.sin(angle))) / 2);
}

/** The toggle's value at time `t`. */
export function toggleAt(sim: ToggleSimulation, t: number): boolean {
  return Math.floor(t / (sim.periodMs / 2)) % 2 === 1;
}

/** Where a random walk is, and since when. */
export interface WalkState {
  value: number;
  /** Time of the last step. */
  at: number;
}

/** The walk's first state at time `t`. */
export function walkStart(sim: RandomWalkSimulation, t: number): WalkState {
  return { value: round(sim.start ?? (sim.min + sim.max) / 2), at: t };
}

/** Most steps taken at once (after a long pause the walk does not replay hours of ticks). */
export const MAX_STEPS = 1_000;

/** Advance the walk to time `t`, one step per whole `tickMs` elapsed. */
export function walkTo(
  sim: RandomWalkSimulation,
  state: WalkState,
  t: number,
  tickMs: number,
  random: () => number = Math.random,
): WalkState {
  const steps = Math.floor((t - state.at) / tickMs);
  if (steps <= 0) return state;
  let value = state.value;
  for (let i = 0; i < Math.min(steps, MAX_STEPS); i++) {
    value = Math.min(sim.max, Math.max(sim.min, value + (random() * 2 - 1) * sim.step));
  }
  return { value: round(value), at: state.at + steps * tickMs };
}
