/**
 * The COV subscriptions a gateway asked its devices for, and their cancellation when it stops.
 * A controller has few subscription slots (often a few dozen) and a driver restarted with a new
 * subscriber process id would otherwise leave its old subscriptions there until their lifetime
 * ends, so the stop cancels them: all at once, waiting at most {@link CANCEL_WAIT_MS}, skipping
 * devices known to be offline, never throwing.
 */
import type { DriverContext } from '@weble/driver-kit';
import type { ObjectRef } from './bacnet-names.js';
import { CANCEL_WAIT_MS, planCancellations, type HeldSubscription } from './cov-policy.js';
import type { BacnetSession } from './session.js';

type Logger = DriverContext<unknown, unknown>['log'];

/** A subscription the driver asked for, with the object to name in its cancellation. */
export interface CovSubscription extends HeldSubscription {
  object: ObjectRef;
}

/** What a stop did with the subscriptions. */
export interface CancelOutcome {
  /** Acknowledged by the device. */
  cancelled: number;
  /** Sent, but the device erred or did not answer in time. */
  unanswered: number;
  /** Not sent: the device was not online. */
  skipped: number;
}

/** Subscriptions asked for (held, or sent and not refused), by device and object. */
export class CovSubscriptions {
  private readonly table = new Map<string, CovSubscription>();

  /** A subscription was sent (or renewed): it may be in the device's table from now on. */
  asked(instance: number, objectKey: string, object: ObjectRef): void {
    this.table.set(`${instance}/${objectKey}`, { instance, objectKey, object });
  }

  /** The device refused it: nothing to cancel. */
  refused(instance: number, objectKey: string): void {
    this.table.delete(`${instance}/${objectKey}`);
  }

  list(): CovSubscription[] {
    return [...this.table.values()];
  }
}

/**
 * Cancel `subscriptions` of `processId` on the devices the session sees online: every
 * cancellation at once, then wait for their answers, at most `waitMs`. Never rejects.
 */
export async function cancelSubscriptions(
  session: BacnetSession,
  subscriptions: readonly CovSubscription[],
  processId: number,
  log: Logger,
  waitMs = CANCEL_WAIT_MS,
): Promise<CancelOutcome> {
  const states = new Map(session.devices().map((device) => [device.instance, device.state]));
  const { cancel, skipped } = planCancellations(subscriptions, (instance) => states.get(instance));
  const outcome: CancelOutcome = { cancelled: 0, unanswered: 0, skipped: skipped.length };
  if (cancel.length === 0) return outcome;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, waitMs);
  });
  const answers = cancel.map((subscription) =>
    session.cancelCovNow(subscription.instance, subscription.object, processId).then(
      () => void outcome.cancelled++,
      (error: unknown) =>
        log.debug(
          { device: subscription.instance, object: subscription.objectKey, err: error },
          `COV cancellation unanswered: ${(error as Error).message}`,
        ),
    ),
  );
  try {
    await Promise.race([Promise.all(answers), deadline]);
  } finally {
    clearTimeout(timer);
  }
  const result: CancelOutcome = { ...outcome, unanswered: cancel.length - outcome.cancelled };
  const unansweredNote = result.unanswered ? ` (${result.unanswered} unanswered)` : '';
  const skippedNote = result.skipped ? `, ${result.skipped} skipped (device not online)` : '';
  log.info(
    { ...result, processId },
    `COV subscriptions cancelled: ${result.cancelled} of ${cancel.length}${unansweredNote}${skippedNote}`,
  );
  return result;
}
