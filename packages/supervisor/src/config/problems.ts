/**
 * Problems of a site.yaml: a path into the document and what was expected there. Zod issues are
 * turned into problems with driver-kit's wording (`expected number, received string`), plus what
 * an operator needs to fix a file: one problem per unknown key with the keys allowed there, a
 * missing key called missing, and for a union the problems of the branch the value was meant for.
 */
import { describeIssue, describeValue, formatPath } from '@weble/driver-kit';
import type { z } from 'zod';

/** A path into site.yaml: `['gateways', 2, 'config', 'port']`. */
export type ProblemPath = ReadonlyArray<string | number>;

/** One problem of a site. */
export interface Problem {
  readonly path: ProblemPath;
  readonly message: string;
}

/** `gateways[2].config.port: expected number, received string`. */
export function formatProblem(problem: Problem): string {
  return `${formatPath(problem.path)}: ${problem.message}`;
}

type Issue = z.core.$ZodIssue;

/** The schema and the data the issues came from, and where that data sits in site.yaml. */
export interface IssueSource {
  readonly schema: unknown;
  readonly data: unknown;
  readonly prefix: ProblemPath;
}

/** The value at `path` inside `data`, or undefined. */
export function valueAt(data: unknown, path: ProblemPath): unknown {
  let current = data;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

interface Def {
  type?: string;
  shape?: Record<string, unknown>;
  element?: unknown;
  valueType?: unknown;
  innerType?: unknown;
  in?: unknown;
  options?: unknown[];
  discriminator?: string;
  values?: unknown[];
}

const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional']);

/** A schema's definition, read structurally (driver schemas may come from another zod instance). */
function defOf(schema: unknown): Def | undefined {
  return (schema as { _zod?: { def?: Def } } | null | undefined)?._zod?.def;
}

/** Through optional/default/pipe... wrappers, and to the union option that fits `data`. */
function unwrap(schema: unknown, data: unknown): unknown {
  for (let depth = 0; depth < 32; depth++) {
    const def = defOf(schema);
    if (def?.type !== undefined && WRAPPERS.has(def.type)) schema = def.innerType;
    else if (def?.type === 'pipe') schema = def.in;
    else if (def?.type === 'union') schema = unionOption(def, data);
    else return schema;
  }
  return schema;
}

function unionOption(def: Def, data: unknown): unknown {
  const objects = (def.options ?? []).filter((option) => defOf(unwrap(option, undefined))?.type === 'object');
  if (def.discriminator !== undefined) {
    const tag = valueAt(data, [def.discriminator]);
    return objects.find((option) =>
      defOf(unwrap(defOf(unwrap(option, undefined))?.shape?.[def.discriminator!], undefined))?.values?.includes(tag),
    );
  }
  return objects.length === 1 ? objects[0] : undefined;
}

/** The keys an object schema allows at `path`, or undefined when that cannot be told. */
export function allowedKeys(schema: unknown, path: ProblemPath, data: unknown): string[] | undefined {
  let current = unwrap(schema, data);
  let value = data;
  for (const key of path) {
    const def = defOf(current);
    if (def?.type === 'object') current = def.shape?.[String(key)];
    else if (def?.type === 'array') current = def.element;
    else if (def?.type === 'record') current = def.valueType;
    else return undefined;
    value = valueAt(value, [key]);
    current = unwrap(current, value);
  }
  const def = defOf(current);
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : undefined;
}

/** A union branch that failed only because the value is of another type altogether. */
function isMismatch(branch: readonly Issue[]): boolean {
  const only = branch.length === 1 ? branch[0] : undefined;
  return (
    only !== undefined && only.path.length === 0 && (only.code === 'invalid_type' || only.code === 'invalid_value')
  );
}

function describe(issue: Issue, value: unknown): string {
  let message = describeIssue(issue).replace(/^Too (small|big): /, '');
  if (value === undefined && /, received undefined$/.test(message))
    return `missing (${message.replace(/, received undefined$/, '')})`;
  if (value === undefined && (issue.code === 'invalid_value' || issue.code === 'invalid_union'))
    return `missing (${message})`;
  if ((issue.code === 'invalid_value' || issue.code === 'invalid_union') && !/received/.test(message))
    message += `, received ${describeValue(value)}`;
  return message;
}

/** Zod issues of `source.data` as problems, paths prefixed with `source.prefix`. */
export function issuesToProblems(issues: readonly Issue[], source: IssueSource, within: ProblemPath = []): Problem[] {
  const problems: Problem[] = [];
  for (const issue of issues) {
    const path = [...within, ...issue.path.map((key) => (typeof key === 'symbol' ? String(key) : key))];
    if (issue.code === 'unrecognized_keys') {
      const allowed = allowedKeys(source.schema, path, source.data);
      const hint = allowed && allowed.length > 0 ? ` (expected one of: ${allowed.join(', ')})` : '';
      for (const key of issue.keys)
        problems.push({ path: [...source.prefix, ...path, key], message: `unknown key${hint}` });
      continue;
    }
    if (issue.code === 'invalid_union') {
      const meant = issue.errors.find((branch) => branch.length > 0 && !isMismatch(branch));
      if (meant) {
        problems.push(...issuesToProblems(meant, source, path));
        continue;
      }
    }
    problems.push({ path: [...source.prefix, ...path], message: describe(issue, valueAt(source.data, path)) });
  }
  return problems;
}
