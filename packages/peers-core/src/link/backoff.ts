/** Reconnect delay policy: a pure function of the attempt number. */
export type Backoff = (attempt: number, random?: () => number) => number;

/** Options of {@link exponentialBackoff}. */
export interface BackoffOptions {
  /** Delay before the first retry, in ms. Default 100. */
  initialMs?: number;
  /** Largest delay, in ms. Default 10 000. */
  maxMs?: number;
  /** Growth per attempt. Default 2. */
  factor?: number;
  /** Fraction of the delay that is random (0 = none, 1 = full jitter). Default 0.5. */
  jitter?: number;
}

/**
 * Exponential backoff with jitter: attempt 0 waits about `initialMs`, each next attempt `factor`
 * times longer up to `maxMs`, and a random `jitter` share of it is taken off so that many clients
 * restarting together do not reconnect in lockstep.
 */
export function exponentialBackoff(options: BackoffOptions = {}): Backoff {
  const initialMs = options.initialMs ?? 100;
  const maxMs = options.maxMs ?? 10_000;
  const factor = options.factor ?? 2;
  const jitter = Math.min(1, Math.max(0, options.jitter ?? 0.5));
  return (attempt, random = Math.random) => {
    const base = Math.min(maxMs, initialMs * factor ** Math.max(0, attempt));
    return Math.round(base * (1 - jitter * random()));
  };
}
