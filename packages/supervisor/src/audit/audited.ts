/**
 * What the hub records of the core modules' calls: each audited method of a shared facade is
 * wrapped so that, when it answers, an entry says who called (read first thing, while peers-core's
 * `currentCaller()` names them), what, with which details, and the result (`ok` or the error
 * code and message). Calls refused by the share filter are recorded too (`ROLE_FORBIDDEN`).
 */
import type { AuditAction } from './audit-entry.js';
import type { AuditTrail } from './audit-trail.js';

/** What an audited call is about, from its arguments (the callback left out). */
export type Describe = (args: unknown[]) => { action: AuditAction; target: string; detail?: unknown };

/** The audited methods of one module. */
export type AuditSpecs = Readonly<Record<string, Describe>>;

type Method = (...args: unknown[]) => unknown;

function lastFunctionIndex(args: unknown[]): number {
  for (let i = args.length - 1; i >= 0; i--) if (typeof args[i] === 'function') return i;
  return -1;
}

/** Wrap the `specs` methods of `shared` (a facade, changed in place and returned). */
export function audited<T extends object>(
  shared: T,
  specs: AuditSpecs,
  trail: AuditTrail,
  currentCaller: () => string | undefined,
): T {
  const methods = shared as Record<string, unknown>;
  for (const [name, describe] of Object.entries(specs)) {
    const original = methods[name];
    if (typeof original !== 'function') continue;
    methods[name] = (...args: unknown[]): unknown => {
      const peer = currentCaller() ?? 'supervision';
      const at = lastFunctionIndex(args);
      const params = at === -1 ? args : args.slice(0, at);
      const cb = at === -1 ? undefined : (args[at] as Method);
      const what = describe(params);
      const answered = (error?: (Error & { code?: unknown }) | null, ...results: unknown[]): unknown => {
        trail.record({
          ...trail.who(peer),
          ...what,
          result: error ? (typeof error.code === 'string' ? error.code : 'failed') : 'ok',
          ...(error ? { message: error.message } : {}),
        });
        return cb?.(error, ...results);
      };
      return (original as Method)(...params, answered);
    };
  }
  return shared;
}

/** Record a call the share filter refused (its arguments are not known there: the target is `module.method`), when its method is audited. */
export function recordRefusal(
  trail: AuditTrail,
  module: string,
  specs: AuditSpecs | undefined,
  peer: string,
  method: string | undefined,
  reason: string,
): void {
  const describe = method === undefined ? undefined : specs?.[method];
  if (!describe) return;
  trail.record({
    ...trail.who(peer),
    action: describe([]).action,
    target: `${module}.${method}`,
    result: 'ROLE_FORBIDDEN',
    message: reason,
  });
}
