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
export function wantsCov(point: { cov?: boolean | undefined; property: string; index?: number | undefined }, enabled: boolean): boolean {
  const covProperty = (point.property === 'present-value' || point.property === 'status-flags') && point.index === undefined;
  if (!covProperty) return false;
  return point.cov ?? enabled;
}
