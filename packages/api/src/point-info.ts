/**
 * What is known of a point besides its value: whether it can be written, its limits, unit and
 * state texts, and whether a write can be released (BACnet relinquish). A driver says what its
 * point config implies and what it learnt from the device; site.yaml can say more; the
 * supervisor merges them into each address's `info` (docs/gateways.md, Point metadata).
 * driver-kit re-exports this type for drivers.
 */

/** Metadata of a point. Every field is optional: absent means "not known". */
export interface PointInfo {
  /** Whether the point accepts writes (default true when nobody says otherwise). */
  writable?: boolean | undefined;
  /** Smallest value a write may set. */
  min?: number | undefined;
  /** Largest value a write may set. */
  max?: number | undefined;
  /** Step of the values a write may set (the UI's input step). */
  step?: number | undefined;
  /** Engineering unit (`°C`). */
  unit?: string | undefined;
  /**
   * Texts of the point's states by value: `{ "1": "Off", "2": "Heat" }` for a multi-state point,
   * `{ "false": "Stopped", "true": "Running" }` for a binary one.
   */
  states?: Record<string, string> | undefined;
  /** Writing `null` releases the point (BACnet: relinquish the write's priority slot). */
  relinquish?: boolean | undefined;
}
