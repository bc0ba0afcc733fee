/**
 * When a new value counts as a change worth publishing: different from the last published one, and
 * for numbers by at least the deadband (absolute). Pure.
 */

/** Whether `next` differs from `last` (the last published value) enough to publish. */
export function isChange(last: unknown, next: unknown, deadband: number): boolean {
  if (last === undefined) return true;
  if (typeof last === 'number' && typeof next === 'number') {
    if (Number.isNaN(last) || Number.isNaN(next)) return !(Number.isNaN(last) && Number.isNaN(next));
    return deadband > 0 ? Math.abs(next - last) >= deadband : next !== last;
  }
  if (typeof last !== 'object' || last === null || typeof next !== 'object' || next === null) return last !== next;
  return JSON.stringify(last) !== JSON.stringify(next);
}
