/**
 * COV on the simulated device: one entry of its subscription table, telling a cancellation
 * from a subscription, and sending the (confirmed or unconfirmed) notification of an object's
 * present-value and status flags to a subscriber.
 */
import bacnet from '../lib.js';
import type { SimObject } from './sim-objects.js';
import type { BACNetAddress, BACNetObjectID } from '@bacnet-js/client';

const { PropertyIdentifier: P, ApplicationTag: Tag } = bacnet;
type Client = InstanceType<typeof bacnet.default>;

/** One entry of the device's COV subscription table. */
export interface Subscription {
  subscriber: BACNetAddress;
  processId: number;
  object: BACNetObjectID;
  confirmed: boolean;
  expiresAt: number;
}

/** A SubscribeCOV without lifetime and confirmed flag (the library decodes it, its type omits it). */
export function isCancellation(payload: unknown): boolean {
  return (payload as { cancellationRequest?: boolean } | undefined)?.cancellationRequest === true;
}

/** Notify `subscription` of the present-value and status flags of `object`, from device `instance`. */
export function sendCovNotification(
  client: Client,
  instance: number,
  subscription: Subscription,
  object: SimObject,
): void {
  const remaining = Number.isFinite(subscription.expiresAt)
    ? Math.max(0, Math.round((subscription.expiresAt - Date.now()) / 1000))
    : 0;
  const values = [
    { property: { id: P.PRESENT_VALUE, index: bacnet.ASN1_ARRAY_ALL }, value: [object.value] },
    {
      property: { id: P.STATUS_FLAGS, index: bacnet.ASN1_ARRAY_ALL },
      value: [{ type: Tag.BIT_STRING, value: new bacnet.StatusFlagsBitString(...object.flags) }],
    },
  ];
  if (subscription.confirmed) {
    client
      .confirmedCOVNotification(subscription.subscriber, object.id, subscription.processId, instance, remaining, values)
      .catch(() => undefined);
  } else {
    client.unconfirmedCOVNotification(
      subscription.subscriber,
      subscription.processId,
      instance,
      object.id,
      remaining,
      values,
    );
  }
}
