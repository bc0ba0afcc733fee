/** Which gateways a new site.yaml adds, changes or removes (pure). */
import { isDeepStrictEqual } from 'node:util';
import type { SiteConfig } from './config/index.js';

type Gateway = SiteConfig['gateways'][number];

export interface ReloadPlan {
  added: Gateway[];
  changed: Gateway[];
  removed: Array<Gateway['id']>;
}

/** A gateway changed when its own entry or any of its addresses differ. */
export function planReload(before: SiteConfig, after: SiteConfig): ReloadPlan {
  const addressesOf = (c: SiteConfig, id: Gateway['id']) => c.addresses.filter((a) => String(a.gateway) === String(id));
  const old = new Map(before.gateways.map((g) => [String(g.id), g]));
  const next = new Map(after.gateways.map((g) => [String(g.id), g]));
  const plan: ReloadPlan = { added: [], changed: [], removed: [] };
  for (const [id, g] of next) {
    const was = old.get(id);
    if (!was) plan.added.push(g);
    else if (!isDeepStrictEqual(was, g) || !isDeepStrictEqual(addressesOf(before, g.id), addressesOf(after, g.id)))
      plan.changed.push(g);
  }
  for (const [id, g] of old) if (!next.has(id)) plan.removed.push(g.id);
  return plan;
}
