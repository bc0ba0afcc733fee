/**
 * Which addresses a logger records: each entry of its `addresses` is a key, a name, an alias, or a
 * pattern with `*` (any characters) and `?` (one character) matched against all three.
 */

/** The identity of an address as the matcher sees it. */
export interface Matchable {
  key: string;
  name?: string | undefined;
  alias?: string | undefined;
}

/** Whether `entry` is a pattern (has `*` or `?`). */
export function isPattern(entry: string): boolean {
  return /[*?]/.test(entry);
}

/** A pattern as a RegExp anchored at both ends. */
export function patternRegExp(pattern: string): RegExp {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`);
}

/** The keys `entry` selects among `addresses` (empty when nothing matches). */
export function matchEntry(entry: string, addresses: readonly Matchable[]): string[] {
  const test = isPattern(entry) ? (id: string) => patternRegExp(entry).test(id) : (id: string) => id === entry;
  return addresses
    .filter((a) => [a.key, a.name, a.alias].some((id) => typeof id === 'string' && test(id)))
    .map((a) => a.key);
}

/** Keys selected by every entry, and the entries that match nothing (in the order given). */
export function matchAddresses(
  entries: readonly string[],
  addresses: readonly Matchable[],
): { keys: string[]; unmatched: string[] } {
  const keys = new Set<string>();
  const unmatched: string[] = [];
  for (const entry of entries) {
    const found = matchEntry(entry, addresses);
    if (found.length === 0) unmatched.push(entry);
    for (const key of found) keys.add(key);
  }
  return { keys: [...keys], unmatched };
}
