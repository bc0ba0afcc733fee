/**
 * The route table: for every peer name reachable from this node, the link it is reached
 * through and how many hops away it is. Links advertise the names behind them; a name is unique in
 * the whole mesh, so a second advertisement of a known name through another link is refused.
 */
import type { Link } from '../link/link.js';
import { siteRouteOf } from '../codec/address.js';

export interface Route {
  link: Link;
  hops: number;
}

export class RouteTable {
  private readonly routes = new Map<string, Route>();
  private readonly byLink = new Map<Link, Set<string>>();

  get(name: string): Route | undefined {
    return this.routes.get(name);
  }

  has(name: string): boolean {
    return this.resolve(name) !== undefined;
  }

  /**
   * The route to a destination: the name's own route, else for `x@site` the route of the
   * pseudo-name `@site` (the way to the hub that federates this site). Plain names hit the first
   * lookup, so the local path costs nothing more.
   */
  resolve(name: string): Route | undefined {
    const route = this.routes.get(name);
    if (route !== undefined) return route;
    const viaSite = siteRouteOf(name);
    return viaSite !== undefined ? this.routes.get(viaSite) : undefined;
  }

  /** Point a route (an `@site` entry) at `link`, wherever it went before. Returns whether it is new. */
  set(name: string, link: Link, hops: number): boolean {
    const existing = this.routes.get(name);
    if (existing) {
      this.byLink.get(existing.link)?.delete(name);
      existing.link = link;
      existing.hops = hops;
    } else {
      this.routes.set(name, { link, hops });
    }
    let names = this.byLink.get(link);
    if (!names) this.byLink.set(link, (names = new Set()));
    names.add(name);
    return existing === undefined;
  }

  /** Remove a route wherever it goes. Returns whether there was one. */
  delete(name: string): boolean {
    const existing = this.routes.get(name);
    if (!existing) return false;
    this.routes.delete(name);
    this.byLink.get(existing.link)?.delete(name);
    return true;
  }

  names(): string[] {
    return [...this.routes.keys()];
  }

  /** How many names are reached through `link`. */
  countVia(link: Link): number {
    return this.byLink.get(link)?.size ?? 0;
  }

  /** Names reached through `link`. */
  namesVia(link: Link): string[] {
    return [...(this.byLink.get(link) ?? [])];
  }

  /** All routes except those through `link` (split horizon), as [name, hops] pairs. */
  advertisementFor(link: Link): Array<[string, number]> {
    const out: Array<[string, number]> = [];
    for (const [name, route] of this.routes) if (route.link !== link) out.push([name, route.hops]);
    return out;
  }

  /**
   * Add a route. Returns 'added', 'updated' (same link, new hop count) or 'conflict' (the name is
   * already reached through another link).
   */
  add(name: string, link: Link, hops: number): 'added' | 'updated' | 'conflict' {
    const existing = this.routes.get(name);
    if (existing) {
      if (existing.link !== link) return 'conflict';
      existing.hops = hops;
      return 'updated';
    }
    this.routes.set(name, { link, hops });
    let names = this.byLink.get(link);
    if (!names) this.byLink.set(link, (names = new Set()));
    names.add(name);
    return 'added';
  }

  /** Remove a route if it goes through `link`. Returns whether it was removed. */
  remove(name: string, link: Link): boolean {
    const existing = this.routes.get(name);
    if (!existing || existing.link !== link) return false;
    this.routes.delete(name);
    this.byLink.get(link)?.delete(name);
    return true;
  }

  /** Remove every route through a closed link; returns the names lost. */
  removeLink(link: Link): string[] {
    const names = [...(this.byLink.get(link) ?? [])];
    for (const name of names) this.routes.delete(name);
    this.byLink.delete(link);
    return names;
  }
}
