/**
 * `DRIVER_BAD_VALUE` errors from a value schema's issues, naming what was expected and what was
 * received: `write "4/7/25" on gateway 1 (virtual): expected number, received string ("abc")`.
 */
import type { z } from 'zod';
import { DriverCode, DriverError, describeValue } from './errors.js';
import { describeIssue, formatPath } from './issues.js';

function at(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** One line per issue: `expected number, received string ("abc")`, prefixed with a path inside the value. */
export function describeValueIssues(value: unknown, issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => {
      const where = issue.path.length > 0 ? `${formatPath(issue.path)}: ` : '';
      if (issue.code === 'invalid_type')
        return `${where}expected ${issue.expected}, received ${describeValue(at(value, issue.path))}`;
      return `${where}${describeIssue(issue)}`;
    })
    .join('; ');
}

/** The `DRIVER_BAD_VALUE` error of `what` (e.g. `write "4/7/25" on gateway 1 (virtual)`). */
export function badValueError(what: string, value: unknown, issues: readonly z.core.$ZodIssue[]): DriverError {
  return new DriverError(DriverCode.BAD_VALUE, `${what}: ${describeValueIssues(value, issues)}`);
}
