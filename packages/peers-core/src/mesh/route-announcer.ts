/**
 * A node's name routes and their announcements (ROUTES) to its local links: what a link
 * advertises is learned (a name reached through two links is refused), and every change is told
 * to the other local links (split horizon). A federated hub also announces each reachable site S
 * as the pseudo-name `@S` (docs/federation.md); site links never carry ROUTES.
 */
import { encode } from '../codec/messagepack.js';
import { Code, PeersError } from '../errors.js';
import { notify, refuse } from './handshake.js';
import type { Link } from '../link/link.js';
import type { RouteTable } from './route-table.js';
import type { Entitlement } from './trust.js';
import { MessageType, assertRouteName, writeHeader } from '../codec/wire.js';
import { siteOfRoute, siteRoute } from '../codec/address.js';

/** What the announcer needs of its node. */
export interface RouteOwner {
  readonly name: string;
  /** The node's site when it is a federated hub. */
  readonly site: string | undefined;
  readonly routes: RouteTable;
  /** Local links (never site links) with their peer names. */
  readonly links: ReadonlyMap<Link, string>;
  /** A name (or `@site`) became reachable. */
  gained(name: string): void;
  /** A name (or `@site`) is not reachable any more. */
  lost(name: string, reason: string): void;
  /** The best route to a site moved to another link. */
  siteMoved(site: string, link: Link): void;
  /** What `link` may announce (decided when it joined). */
  entitlement(link: Link): Entitlement;
  /** Report a refused announcement (logged by the API layer). */
  report(peer: string, error: Error): void;
}

/** How many refused names a refusal message lists. */
const LISTED = 5;

export class RouteAnnouncer {
  constructor(private readonly node: RouteOwner) {}

  /** Send one ROUTES message (nothing when there is no change). */
  send(link: Link, added: Array<[string, number]>, removed: string[]): void {
    if (added.length === 0 && removed.length === 0) return;
    const body = encode([added, removed]);
    link.send(writeHeader(MessageType.ROUTES, 0, '', '', '', body.length), body);
  }

  /** Tell every local link but `via` about routes gained and lost. */
  announce(via: Link | undefined, added: Array<[string, number]>, removed: string[]): void {
    for (const link of this.node.links.keys()) if (link !== via) this.send(link, added, removed);
  }

  /**
   * A ROUTES message from a local link. Names the link is not entitled to (trust.ts), and names
   * past its `maxRoutes`, are refused: dropped, reported and told to the link with a notice; the
   * link and its other names stay. A name already reached another way closes the link as before.
   */
  onRoutes(link: Link, body: unknown): void {
    const { routes, site } = this.node;
    if (!Array.isArray(body) || !Array.isArray(body[0]) || !Array.isArray(body[1])) {
      throw new PeersError(Code.BAD_FRAME, 'routes message: expected [added, removed] arrays');
    }
    const entries = body[0] as unknown[];
    for (const entry of entries) {
      if (!Array.isArray(entry) || typeof entry[1] !== 'number')
        throw new PeersError(Code.BAD_FRAME, `routes message: bad entry ${JSON.stringify(entry)?.slice(0, 200)}`);
      assertRouteName(entry[0]);
    }
    const entitlement = this.node.entitlement(link);
    let held = routes.countVia(link);
    const added: Array<[string, number]> = [];
    const removed: string[] = [];
    const refused: string[] = [];
    let overCap = 0;
    for (const entry of entries as Array<[string, number]>) {
      const name = entry[0];
      if (site !== undefined && siteOfRoute(name) !== undefined) {
        throw new PeersError(
          Code.INVALID_NAME,
          `route to "${name}" refused: only this hub announces sites on site "${site}"`,
        );
      }
      if (!entitlement.allows(name)) {
        refused.push(name);
        continue;
      }
      const hops = entry[1] + 1;
      if (name === this.node.name || routes.get(name)?.link !== link) {
        if (held >= entitlement.maxRoutes) {
          overCap++;
          continue;
        }
      }
      const result = name === this.node.name ? 'conflict' : routes.add(name, link, hops);
      if (result === 'conflict') {
        refuse(link, new PeersError(Code.NAME_TAKEN, `route to "${name}" refused: the name is already on the mesh`));
        return;
      }
      if (result === 'added') {
        held++;
        added.push([name, hops]);
        this.node.gained(name);
      }
    }
    for (const name of body[1] as unknown[]) {
      if (typeof name === 'string' && routes.remove(name, link)) {
        removed.push(name);
        this.node.lost(name, `${name} left the mesh`);
      }
    }
    this.announce(link, added, removed);
    if (refused.length > 0 || overCap > 0) this.refuseNames(link, refused, overCap, entitlement.maxRoutes);
  }

  private refuseNames(link: Link, refused: string[], overCap: number, maxRoutes: number): void {
    const who = this.node.links.get(link) ?? link.remote;
    const parts: string[] = [];
    if (refused.length > 0) {
      const listed = refused
        .slice(0, LISTED)
        .map((n) => `"${n}"`)
        .join(', ');
      const more = refused.length > LISTED ? ` and ${refused.length - LISTED} more` : '';
      parts.push(`${refused.length} name(s) it does not speak for (${listed}${more})`);
    }
    if (overCap > 0) parts.push(`${overCap} name(s) over its limit of ${maxRoutes} (maxRoutesPerLink)`);
    const error = new PeersError(
      Code.NOT_ENTITLED,
      `routes from "${who}" refused at "${this.node.name}": ${parts.join('; ')}`,
    );
    this.node.report(who, error);
    notify(link, error);
  }

  /** The best way to `site` is now `link` at `hops` sites (undefined: unreachable): route `@site`. */
  siteRoute(site: string, link: Link | undefined, hops: number, reason = `site "${site}" is unreachable`): void {
    const { routes } = this.node;
    const name = siteRoute(site);
    if (!link) {
      if (!routes.delete(name)) return;
      this.announce(undefined, [], [name]);
      this.node.lost(name, reason);
      return;
    }
    const before = routes.get(name);
    const moved = before !== undefined && before.link !== link;
    const hopsChanged = before?.hops !== hops;
    const added = routes.set(name, link, hops);
    if (hopsChanged) this.announce(undefined, [[name, hops]], []);
    if (added) this.node.gained(name);
    else if (moved) this.node.siteMoved(site, link);
  }
}
