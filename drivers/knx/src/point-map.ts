/**
 * The gateway's points by group address: which keys a telegram on a group address updates
 * (the status address when a point has one, else its own), and where a point is read and
 * written. Addresses whose group address or datapoint type is unusable are listed as problems
 * instead of stopping the gateway. Pure.
 */
import type { Address } from '@weble/driver-kit';
import { parseDpt, type DptId } from './dpt/dpt-id.js';
import { parseGroupAddress } from './group-address.js';
import type { KnxPoint } from './schemas.js';

/** One usable point. */
export interface CompiledPoint {
  readonly key: string;
  readonly dpt: DptId;
  /** Raw group address written to. */
  readonly ga: number;
  /** Raw group address whose telegrams carry the state (and that a read asks): the status address, else `ga`. */
  readonly state: number;
  readonly writable: boolean;
  readonly readOnStart: boolean;
}

/** The points of a gateway. */
export interface PointMap {
  readonly byKey: ReadonlyMap<string, CompiledPoint>;
  /** Points updated by telegrams on a group address. */
  readonly byState: ReadonlyMap<number, readonly CompiledPoint[]>;
  /** `gateway 1 (knx) address "x": ...` for each address that could not be used. */
  readonly problems: readonly Error[];
}

/** Compile `addresses`; `label` names the gateway in problems (`gateway 1 (knx)`). */
export function compilePoints(
  addresses: ReadonlyArray<Readonly<Address<KnxPoint>>>,
  label: string,
  readOnStart: boolean,
): PointMap {
  const byKey = new Map<string, CompiledPoint>();
  const byState = new Map<number, CompiledPoint[]>();
  const problems: Error[] = [];
  for (const address of addresses) {
    const where = `${label} address ${JSON.stringify(address.key)}`;
    try {
      const ga = parseGroupAddress(
        address.point.ga ?? address.key,
        `${where}${address.point.ga === undefined ? ' (key used as group address)' : ''}`,
      );
      const state =
        address.point.status === undefined ? ga : parseGroupAddress(address.point.status, `${where} status`);
      const point: CompiledPoint = {
        key: address.key,
        dpt: parseDpt(address.point.dpt, where),
        ga,
        state,
        writable: address.point.writable,
        readOnStart: address.point.readOnStart ?? readOnStart,
      };
      byKey.set(address.key, point);
      const list = byState.get(state) ?? [];
      list.push(point);
      byState.set(state, list);
    } catch (error) {
      problems.push(error as Error);
    }
  }
  return { byKey, byState, problems };
}
