/**
 * One memory budget for the unfinished frames of all links of a peer. Each link may hold up to
 * `maxFrameBytes` of a frame that has not fully arrived; many links parked just under that limit
 * would together hold far more than a small gateway has. A link that would take the total over the
 * budget is closed (`PEERS_BUFFER_BUDGET`) and its bytes released; the others keep theirs.
 */
import { Code, PeersError } from '../errors.js';

/** Default budget for the unfinished frames of all links of one peer: 64 MiB. */
export const DEFAULT_MAX_UNFINISHED_BYTES = 64 * 1024 * 1024;

/** A shared count of bytes held in unfinished frames, against a limit. */
export class FrameBudget {
  private held = 0;

  /** @param limit most bytes held by all links together. */
  constructor(readonly limit = DEFAULT_MAX_UNFINISHED_BYTES) {}

  /** Bytes held now by all links. */
  get used(): number {
    return this.held;
  }

  /**
   * A link held `before` bytes and now holds `after`. Returns false when growing took the total
   * over the limit: the caller must close the link and call `move(after, 0)`.
   */
  move(before: number, after: number): boolean {
    this.held += after - before;
    return after <= before || this.held <= this.limit;
  }

  /** The part of the budget of one link (`remote` names it in errors). */
  share(remote: string): BudgetShare {
    return new BudgetShare(this, remote);
  }
}

/** One link's part of a {@link FrameBudget}: the bytes of an unfinished frame it holds now. */
export class BudgetShare {
  held = 0;

  constructor(
    private readonly budget: FrameBudget,
    private readonly remote: string,
  ) {}

  /** The link now holds `bytes`; the error when that took all links over the budget (the link must close). */
  hold(bytes: number): PeersError | undefined {
    const fits = this.budget.move(this.held, bytes);
    this.held = bytes;
    if (fits) return undefined;
    return new PeersError(
      Code.BUFFER_BUDGET,
      `${this.remote} holds ${bytes} bytes of an unfinished frame, taking all links over their budget of ${this.budget.limit} bytes (maxUnfinishedBytes)`,
    );
  }

  /** The link closed: its bytes go back to the budget. */
  release(): void {
    this.hold(0);
  }
}
