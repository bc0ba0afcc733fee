/**
 * What the logged-in user's role lets them do, for hiding what they cannot (docs/roles.md). The
 * role comes from the gateway (`access.whoami()` on `supervision`, the site.yaml role); the
 * gateway refuses the same calls whatever the page shows.
 */
import type { Role, WhoAmI } from '@weble/api';

export type { Role };

/** What the pages offer, and the least role for each (the server's policy table, in the UI's words). */
export type Ability = 'write' | 'acknowledge' | 'control' | 'configure' | 'audit';
const NEEDS: Record<Ability, Role> = {
  write: 'operator',
  acknowledge: 'operator',
  control: 'admin',
  configure: 'admin',
  audit: 'admin',
};
const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

/** Whether `role` may do `ability` (no role: nothing but reading). */
export function can(role: Role | null | undefined, ability: Ability): boolean {
  return role !== null && role !== undefined && RANK[role] >= RANK[NEEDS[ability]];
}

/** `element` when `role` may do `ability`, else nothing (so the control is not on the page at all). */
export function ifAllowed<T extends Node>(role: Role | null | undefined, ability: Ability, element: T): T | null {
  return can(role, ability) ? element : null;
}

/** The role the gateway gives this session; `viewer` when it cannot tell (an older gateway). */
export async function whoami(access: { whoami(): Promise<Pick<WhoAmI, 'role'>> } | undefined): Promise<Role | null> {
  if (!access) return 'viewer';
  const who = await access.whoami().catch(() => ({ role: 'viewer' as const }));
  return who.role ?? null;
}
