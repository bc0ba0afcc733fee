/** A group address as an ETS export lists it. */
export interface EtsGroupAddress {
  /** As written in the export (`1/0/1`). */
  readonly address: string;
  /** Its name in ETS. */
  readonly name: string;
  /** Names of the group ranges it is in (main, middle). */
  readonly path: readonly string[];
  /** The datapoint type as ETS writes it (`DPST-1-1`, `DPT-9`), when the project has one. */
  readonly dpt?: string;
  readonly description?: string;
  /** Line in the export (CSV) or of the element (XML). */
  readonly line: number;
}
