/**
 * Which units (slaves) answer. A unit whose request timed out (after its retries) is offline: its
 * poll requests are skipped, except one probe every `retryMs`, so a dead slave on a shared line
 * costs one timeout per `retryMs` instead of one per request, and the other units keep their
 * pace. Any answer (even an exception) brings it back. Pure state; time is injected.
 */

/** What is known of one offline unit. */
export interface OfflineUnit {
  unit: number;
  since: number;
  reason: string;
  nextProbe: number;
}

export class UnitHealth {
  private readonly offline = new Map<number, OfflineUnit>();

  constructor(
    private readonly retryMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether a request to `unit` should go out now; starting a probe pushes the next one `retryMs` away. */
  shouldSend(unit: number): boolean {
    const state = this.offline.get(unit);
    if (!state) return true;
    const now = this.now();
    if (now < state.nextProbe) return false;
    state.nextProbe = now + this.retryMs;
    return true;
  }

  /** The unit answered; true when it was offline (it is back). */
  answered(unit: number): boolean {
    return this.offline.delete(unit);
  }

  /** The unit did not answer; true when it just went offline. */
  silent(unit: number, reason: string): boolean {
    const state = this.offline.get(unit);
    if (state) {
      state.reason = reason;
      return false;
    }
    const now = this.now();
    this.offline.set(unit, { unit, since: now, reason, nextProbe: now + this.retryMs });
    return true;
  }

  /** Whether `unit` is offline. */
  isOffline(unit: number): boolean {
    return this.offline.has(unit);
  }

  /** The offline units, by unit id. */
  list(): OfflineUnit[] {
    return [...this.offline.values()].sort((a, b) => a.unit - b.unit);
  }
}

/** `unit 3 not answering since 12:00:01.250 (timeout ...)`, one clause per offline unit. */
export function describeOffline(units: readonly OfflineUnit[]): string {
  return units
    .map((u) => `unit ${u.unit} not answering since ${new Date(u.since).toISOString()} (${u.reason})`)
    .join('; ');
}
