/**
 * Who listens to which event, per node. An entry says: origin peer `origin` wants events `topic`
 * from `source`, and they reach it through `link` (null when the origin is this node).
 *
 * Events cross a link only when an active entry sits behind it, and once per link however many
 * origins share it (a hub fans out, the source sends one copy).
 */
import type { Link } from '../link/link.js';

interface Entry {
  link: Link | null;
  /** Confirmed by the source (SUB_ACK); transit hubs forward nothing to unconfirmed entries. */
  active: boolean;
}

interface Topic {
  origins: Map<string, Entry>;
  /** Distinct links of active remote entries; rebuilt lazily after a change. */
  links: Link[] | undefined;
}

export class InterestTable {
  /** source -> topic -> origins */
  private readonly sources = new Map<string, Map<string, Topic>>();
  private readonly perOrigin = new Map<string, number>();

  /** Interests held for `origin` (bounded by the caller). */
  countFor(origin: string): number {
    return this.perOrigin.get(origin) ?? 0;
  }

  /** Add or refresh an entry. Returns true when the origin is new for this topic. */
  add(source: string, topic: string, origin: string, link: Link | null, active: boolean): boolean {
    let topics = this.sources.get(source);
    if (!topics) this.sources.set(source, (topics = new Map()));
    let t = topics.get(topic);
    if (!t) topics.set(topic, (t = { origins: new Map(), links: undefined }));
    const existing = t.origins.get(origin);
    t.origins.set(origin, { link, active: active || (existing?.active ?? false) });
    t.links = undefined;
    if (existing) return false;
    this.perOrigin.set(origin, (this.perOrigin.get(origin) ?? 0) + 1);
    return true;
  }

  /** Mark an entry confirmed. */
  activate(source: string, topic: string, origin: string): void {
    const t = this.sources.get(source)?.get(topic);
    const entry = t?.origins.get(origin);
    if (!t || !entry || entry.active) return;
    entry.active = true;
    t.links = undefined;
  }

  /** Remove one entry. Returns true when the topic has no origin left. */
  remove(source: string, topic: string, origin: string): boolean {
    const topics = this.sources.get(source);
    const t = topics?.get(topic);
    if (!topics || !t || !t.origins.delete(origin)) return false;
    this.decrement(origin);
    t.links = undefined;
    if (t.origins.size > 0) return false;
    topics.delete(topic);
    if (topics.size === 0) this.sources.delete(source);
    return true;
  }

  /** Remove every entry of an origin that left the mesh; returns the [source, topic] pairs emptied. */
  removeOrigin(origin: string): Array<[string, string]> {
    const emptied: Array<[string, string]> = [];
    if (!this.perOrigin.has(origin)) return emptied;
    for (const [source, topics] of [...this.sources]) {
      for (const topic of [...topics.keys()]) {
        if (topics.get(topic)?.origins.has(origin) && this.remove(source, topic, origin)) emptied.push([source, topic]);
      }
    }
    return emptied;
  }

  /** Drop everything known about a source (it left and this node is the source's owner view). */
  topicsOf(source: string): string[] {
    return [...(this.sources.get(source)?.keys() ?? [])];
  }

  /** Every (topic, origin) held for `source`, to replay subscriptions when its route appears. */
  entriesOf(source: string): Array<{ topic: string; origin: string }> {
    const out: Array<{ topic: string; origin: string }> = [];
    for (const [topic, t] of this.sources.get(source) ?? [])
      for (const origin of t.origins.keys()) out.push({ topic, origin });
    return out;
  }

  /** Whether this node itself (origin `self`) listens. */
  has(source: string, topic: string, origin: string): boolean {
    return this.sources.get(source)?.get(topic)?.origins.has(origin) ?? false;
  }

  /** Sources `x@site` of a site (federation: replayed when the site's route appears or moves). */
  sourcesOfSite(site: string): string[] {
    const suffix = `@${site}`;
    return [...this.sources.keys()].filter((source) => source.endsWith(suffix));
  }

  /** Origins `x@site` of a site (dropped when the site becomes unreachable). */
  originsOfSite(site: string): string[] {
    const suffix = `@${site}`;
    return [...this.perOrigin.keys()].filter((origin) => origin.endsWith(suffix));
  }

  /** Every [source, topic] an origin listens to. */
  entriesOfOrigin(origin: string): Array<[string, string]> {
    const out: Array<[string, string]> = [];
    if (!this.perOrigin.has(origin)) return out;
    for (const [source, topics] of this.sources)
      for (const [topic, t] of topics) if (t.origins.has(origin)) out.push([source, topic]);
    return out;
  }

  /** Origins of `site` are now reached through `link` (its best route moved). */
  relinkSite(site: string, link: Link): void {
    const suffix = `@${site}`;
    for (const topics of this.sources.values()) {
      for (const t of topics.values()) {
        for (const [origin, entry] of t.origins) {
          if (entry.link && entry.link !== link && origin.endsWith(suffix)) {
            entry.link = link;
            t.links = undefined;
          }
        }
      }
    }
  }

  /** Distinct links with an active listener behind them. */
  linksFor(source: string, topic: string): readonly Link[] {
    const t = this.sources.get(source)?.get(topic);
    if (!t) return EMPTY;
    if (!t.links) {
      const set = new Set<Link>();
      for (const entry of t.origins.values()) if (entry.link && entry.active) set.add(entry.link);
      t.links = [...set];
    }
    return t.links;
  }

  private decrement(origin: string): void {
    const n = (this.perOrigin.get(origin) ?? 1) - 1;
    if (n <= 0) this.perOrigin.delete(origin);
    else this.perOrigin.set(origin, n);
  }
}

const EMPTY: readonly Link[] = [];
