/**
 * Membership status of a federated hub (seed 003): `lonely` without any site link, `unbalanced`
 * while its site links or site routes are changing, `joined` once nothing changed for `settleMs`.
 * Any later change (a site joining or leaving anywhere) makes it `unbalanced` again until the
 * routes settle.
 */

/** The states of {@link Membership}. */
export type Status = 'lonely' | 'unbalanced' | 'joined';

/** A status change, as carried by the `status::*` events. */
export interface StatusChange {
  from: Status;
  to: Status;
}

export class Membership {
  private current: Status = 'lonely';
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    /** Quiet time after the last change before `joined`, ms. */
    private readonly settleMs: number,
    private readonly onChange: (change: StatusChange) => void,
  ) {}

  get status(): Status {
    return this.current;
  }

  /** Site links or routes changed; `linked`: whether a site link is up now. */
  changed(linked: boolean): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!linked) {
      this.set('lonely');
      return;
    }
    this.set('unbalanced');
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.set('joined');
    }, this.settleMs);
    this.timer.unref?.();
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private set(to: Status): void {
    const from = this.current;
    if (from === to) return;
    this.current = to;
    this.onChange({ from, to });
  }
}
