/**
 * Zod issues turned into one line each, `path: problem`, the way `weble-supervisor validate` and
 * the drivers print them: `gateway.config.tickMs: expected number, received string`,
 * `addresses[2].point.type: expected one of 'number' | 'boolean'`.
 */
import type { z } from 'zod';

type Issue = z.core.$ZodIssue;
type PathKey = PropertyKey;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `['addresses', 2, 'point']` -> `addresses[2].point`; odd keys are quoted: `values["4/7/25"]`. */
export function formatPath(path: readonly PathKey[], prefix = ''): string {
  let out = prefix;
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && IDENTIFIER.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out === '' ? '(root)' : out;
}

/** The problem of one issue without zod's "Invalid input: " preamble. */
export function describeIssue(issue: Issue): string {
  if (issue.code === 'invalid_union') {
    const union = issue as Issue & { errors?: Issue[][]; note?: string; options?: unknown[] };
    if (Array.isArray(union.options) && union.options.length > 0) {
      return `expected one of ${union.options.map((o) => JSON.stringify(o)).join(' | ')}`;
    }
    const branches = union.errors ?? [];
    const expected = branches.flatMap((b) =>
      b.length === 1 && b[0]?.code === 'invalid_type' && b[0].path.length === 0 ? [b[0].expected] : [],
    );
    if (expected.length > 0 && expected.length === branches.length) {
      const received = /received (\S+)/.exec(branches[0]?.[0]?.message ?? '')?.[1];
      return `expected ${expected.join(' or ')}${received ? `, received ${received}` : ''}`;
    }
  }
  return issue.message.replace(/^Invalid input: /, '');
}

/** Every issue as `path: problem`, paths prefixed with `prefix` (e.g. `gateways[0].config`). */
export function formatIssues(issues: readonly Issue[], prefix = ''): string[] {
  return issues.map((issue) => `${formatPath(issue.path, prefix)}: ${describeIssue(issue)}`);
}
