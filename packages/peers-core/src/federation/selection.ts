/**
 * Selection by property (seed 002): which sites a command goes to. A site matches when its
 * property equals the wanted value (strings compared case-insensitively; an array of wanted
 * values matches any one of them; a property holding an array matches when any element does).
 * Properties: `site` (its name), `state` (`linked`: a direct site link, `relayed`: reached
 * through other sites), `hops` (sites on the path), else a key of its metadata (`a.b` looks
 * inside objects). Pure: randomness is passed in.
 */

/** A site that may be selected. */
export interface Candidate {
  site: string;
  /** Sites on the path to it (1 for a neighbour). */
  hops: number;
  metadata: Record<string, unknown>;
}

/** How many sites: a number (picked at random among the matches; 0 or less means all) or `'all'`. */
export type SelectCount = number | 'all';

/** The value of `prop` for a candidate (see the module comment). */
export function propertyOf(candidate: Candidate, prop: string): unknown {
  if (prop === 'site') return candidate.site;
  if (prop === 'hops') return candidate.hops;
  if (prop === 'state') return candidate.hops === 1 ? 'linked' : 'relayed';
  let value: unknown = candidate.metadata;
  for (const key of prop.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.prototype.hasOwnProperty.call(value, key))
      return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function same(actual: unknown, wanted: unknown): boolean {
  if (typeof actual === 'string' && typeof wanted === 'string') return actual.toLowerCase() === wanted.toLowerCase();
  return Object.is(actual, wanted);
}

/** Whether a property value matches the wanted value (or any of a wanted array). */
export function matches(actual: unknown, wanted: unknown): boolean {
  const options = Array.isArray(wanted) ? wanted : [wanted];
  const values = Array.isArray(actual) ? actual : [actual];
  return values.some((a) => options.some((w) => same(a, w)));
}

/**
 * The candidates whose `prop` matches `value`; `count` of them picked at random (all when
 * `count` is `'all'`, 0 or less, or at least the number of matches). `random()` returns [0, 1).
 */
export function choose(
  candidates: readonly Candidate[],
  count: SelectCount,
  prop: string,
  value: unknown,
  random: () => number = Math.random,
): Candidate[] {
  const matching = candidates.filter((c) => matches(propertyOf(c, prop), value));
  if (count === 'all' || count <= 0 || count >= matching.length) return matching;
  // A partial Fisher-Yates shuffle: the first `count` places get a uniform random sample.
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random() * (matching.length - i));
    [matching[i], matching[j]] = [matching[j]!, matching[i]!];
  }
  return matching.slice(0, count);
}
