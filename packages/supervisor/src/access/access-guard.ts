/**
 * The share filters of the core modules: every call and every subscription of a module on
 * `supervision` is checked against the policy table (policy.ts) for the caller (callers.ts). A
 * refusal throws, so the caller gets PEERS_FORBIDDEN with a message that names the user, their
 * role, `module.method` and the role it needs (peers-core wraps the filter's message).
 */
import type { ShareFilter } from '@weble/peers-core';
import type { ServedAccess } from '@weble/api';
import { ROLES, type Role } from '@weble/web/site';
import type { Caller, UserDirectory } from './callers.js';
import { FEDERATED_MODULES, requirementOf, WEB_SERVER_ONLY, type Requirement } from './policy.js';

/** The code at the start of every refusal's message. */
export const ROLE_FORBIDDEN = 'ROLE_FORBIDDEN';

const rank = (role: Role): number => ROLES.indexOf(role);

/** Why `caller` may not use `module.method`, or undefined when it may. */
export function refusal(caller: Caller, module: string, method: string | undefined): string | undefined {
  const what = `${module}.${method ?? '*'}`;
  const needed: Requirement | undefined = requirementOf(module, method);
  if (needed === WEB_SERVER_ONLY)
    return caller.kind === 'site' && caller.isWebServer
      ? undefined
      : `${ROLE_FORBIDDEN}: ${what} is for the webserver peer only (caller "${caller.peer}")`;
  if (caller.kind === 'site') return undefined;
  if (needed === undefined)
    return `${ROLE_FORBIDDEN}: ${what} is not in the site's policy table (refused by default to "${caller.peer}")`;
  if (caller.kind === 'remote') {
    if (!FEDERATED_MODULES.has(module))
      return `${ROLE_FORBIDDEN}: ${what} stays with this site's own peers (caller "${caller.peer}" of site "${caller.site}")`;
    const ceiling: Role = caller.remoteWebSession ? 'viewer' : 'operator';
    if (rank(ceiling) >= rank(needed)) return undefined;
    return `${ROLE_FORBIDDEN}: ${what} needs the role ${needed}; peers of other sites act as ${ceiling} here (caller "${caller.peer}")`;
  }
  if (caller.role === undefined)
    return `${ROLE_FORBIDDEN}: user "${caller.user}" is not (or no longer) a user of this site, so ${what} is refused`;
  if (rank(caller.role) >= rank(needed)) return undefined;
  return `${ROLE_FORBIDDEN}: user "${caller.user}" has the role ${caller.role}; ${what} needs ${needed}`;
}

/** The share filter of `module`: throws the refusal (told to `onRefused` first), answers true otherwise. */
export function accessGuard(
  module: string,
  users: UserDirectory,
  onRefused?: (peer: string, method: string | undefined, reason: string) => void,
): ShareFilter {
  return (peer: string, method?: string): boolean => {
    const reason = refusal(users.identify(peer), module, method);
    if (reason === undefined) return true;
    onRefused?.(peer, method, reason);
    throw new Error(reason);
  };
}

/** The `access` module: `whoami()` tells a caller who the site takes it for (the UI hides what its role cannot do). */
export function accessModule(users: UserDirectory, currentCaller: () => string | undefined): ServedAccess {
  return {
    whoami(cb): void {
      const peer = currentCaller() ?? '';
      const caller = users.identify(peer);
      if (caller.kind === 'web') return cb(null, { peer, kind: 'web', user: caller.user, role: caller.role ?? null });
      // The site's own processes pass every check of the table: as an admin would.
      return cb(null, { peer, kind: caller.kind, ...(caller.kind === 'site' ? { role: 'admin' as const } : {}) });
    },
  };
}
