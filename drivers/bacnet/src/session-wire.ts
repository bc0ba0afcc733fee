/**
 * What a session sends and reads on the wire, apart from the session itself: read-access specs of
 * an RPM, the result of one item in an RPM answer, the max-APDU code of a request, and how
 * failures are told apart (a service the device does not do).
 */
import bacnet from './lib.js';
import type { BACNetAddress, BACNetAppData, BACNetReadAccessSpecification } from '@bacnet-js/client';
import { formatObject, formatProperty as formatPropertyName, type ObjectRef } from './bacnet-names.js';
import type { ReadItem } from './batching.js';
import { BacnetRequestError, requestError, type Failure } from './failures.js';

/** The outcome of reading one item. */
export type ReadOutcome = { ok: true; values: BACNetAppData[] } | { ok: false; error: BacnetRequestError };

export const ARRAY_ALL = bacnet.ASN1_ARRAY_ALL;
const ERROR_TAG = bacnet.ApplicationTag.ERROR;

/** Whether a failure means "this device does not do that service". */
export function serviceUnsupported(failure: Failure): boolean {
  if (failure.kind === 'abort') return failure.reason === bacnet.RejectReason.UNRECOGNIZED_SERVICE;
  if (failure.kind === 'error')
    return (
      failure.errorCode === bacnet.ErrorCode.REJECT_UNRECOGNIZED_SERVICE ||
      failure.errorCode === bacnet.ErrorCode.SERVICE_REQUEST_DENIED
    );
  return false;
}

export function addressText(receiver: BACNetAddress | undefined): string {
  if (!receiver) return 'unbound';
  return receiver.net === undefined ? String(receiver.address) : `${receiver.address} net ${receiver.net}`;
}

/** `present-value`, `priority-array[8]`. */
export function describeProperty(item: { property: number; index?: number | undefined }): string {
  return formatPropertyName(item.property, item.index);
}

/** The max-APDU code of a request (BACnet clause 20.1.2.5) for a size in bytes. */
export function apduCode(bytes: number): number {
  if (bytes >= 1476) return bacnet.MaxApduLengthAccepted.OCTETS_1476;
  if (bytes >= 1024) return bacnet.MaxApduLengthAccepted.OCTETS_1024;
  if (bytes >= 480) return bacnet.MaxApduLengthAccepted.OCTETS_480;
  if (bytes >= 206) return bacnet.MaxApduLengthAccepted.OCTETS_206;
  if (bytes >= 128) return bacnet.MaxApduLengthAccepted.OCTETS_128;
  return bacnet.MaxApduLengthAccepted.OCTETS_50;
}

export function toSpecs(items: readonly ReadItem[]): BACNetReadAccessSpecification[] {
  const specs: BACNetReadAccessSpecification[] = [];
  for (const item of items) {
    let spec = specs.find(
      (candidate) =>
        candidate.objectId.type === item.object.type && candidate.objectId.instance === item.object.instance,
    );
    if (!spec) {
      spec = { objectId: { type: item.object.type, instance: item.object.instance }, properties: [] };
      specs.push(spec);
    }
    spec.properties.push({ id: item.property, index: item.index ?? ARRAY_ALL });
  }
  return specs;
}

export function asRequestError(error: unknown, instance: number): BacnetRequestError {
  return error instanceof BacnetRequestError ? error : requestError(error, 'request', instance);
}

/** The result of `item` in an RPM answer. */
export function pickResult(
  results: Array<{ objectId: ObjectRef; values: Array<{ id: number; index: number; value: BACNetAppData[] }> }>,
  item: ReadItem,
  instance: number,
): ReadOutcome {
  const what = `${formatObject(item.object)} ${describeProperty(item)}`;
  const object = results.find(
    (result) => result.objectId.type === item.object.type && result.objectId.instance === item.object.instance,
  );
  const entry = object?.values.find((value) => value.id === item.property && value.index === (item.index ?? ARRAY_ALL));
  if (!entry)
    return {
      ok: false,
      error: new BacnetRequestError(
        { kind: 'other', message: 'missing' },
        `${what} is missing from the answer of device ${instance}`,
      ),
    };
  const first = entry.value[0];
  if (first && first.type === ERROR_TAG) {
    const { errorClass, errorCode } = first.value as { errorClass: number; errorCode: number };
    return {
      ok: false,
      error: requestError(new Error(`BacnetError - Class:${errorClass} - Code:${errorCode}`), what, instance),
    };
  }
  return { ok: true, values: entry.value };
}
