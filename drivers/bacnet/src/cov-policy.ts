/**
 * When to renew a COV subscription, and which points COV serves. Pure.
 */

/** Renew a subscription of `lifetimeS` seconds after this many ms: at 3/4 of its life (at least 1 s). */
export function renewAfterMs(lifetimeS: number): number {
  return Math.max(1_000, Math.floor(lifetimeS * 750));
}

/**
 * Whether a point is served by COV: the point's `cov` when set, else the gateway's default for
 * present-value and status-flags (the two properties a COV notification carries).
 */
export function wantsCov(
  point: { cov?: boolean | undefined; property: string; index?: number | undefined },
  enabled: boolean,
): boolean {
  const covProperty =
    (point.property === 'present-value' || point.property === 'status-flags') && point.index === undefined;
  if (!covProperty) return false;
  return point.cov ?? enabled;
}

/**
 * How long a stop waits for the answers to its COV cancellations, ms: the cancellations go out
 * all at once and the stop goes on after this even when some are unanswered (driver-kit gives a
 * whole stop 1.5 s).
 */
export const CANCEL_WAIT_MS = 500;

/** A COV subscription the driver asked a device for (held or in flight). */
export interface HeldSubscription {
  instance: number;
  /** `type:instance` of the object. */
  objectKey: string;
}

/**
 * Which subscriptions a stop cancels: those on devices that are `online` (a device known offline
 * or unbound would only make the stop wait), and the ones skipped. Pure.
 */
export function planCancellations<T extends HeldSubscription>(
  held: readonly T[],
  stateOf: (instance: number) => string | undefined,
): { cancel: T[]; skipped: T[] } {
  const cancel: T[] = [];
  const skipped: T[] = [];
  for (const subscription of held) (stateOf(subscription.instance) === 'online' ? cancel : skipped).push(subscription);
  return { cancel, skipped };
}
