/**
 * Routes between sites: a path vector (docs/federation.md, "Site routes"). Every site link
 * advertises, for each site it reaches, the list of sites on the way (`[neighbour, ..., site]`).
 * A path that contains our own site is dropped, so there are no loops and no count-to-infinity.
 * Every link keeps its own best path per site (multipath); the shortest one is used.
 *
 * Hold-down: when the best path to a site is lost, the other paths we knew from before are
 * suspect: they were advertised before the loss, and may lead to the same dead site through
 * neighbours that have not told us yet. For `holdDownMs` the site takes only paths learned after
 * the loss; past that, any path. Where we know what failed, we avoid only that: when the link to a
 * neighbour N drops, a site behind N takes at once a path known from before that avoids N (N itself
 * is held). A neighbour's withdrawal says nothing of where the failure is: the site is held. A dead
 * site is then never re-announced from stale paths; a live one comes back through another path at
 * the latest after the hold-down (0: fail over at once). Pure: no I/O, no timers (the caller passes
 * the time and asks {@link nextExpiry} when to recompute); `L` is the link type.
 */
import { Code, PeersError } from '../errors.js';
import { NAME_PATTERN, SITE_PATTERN } from '../codec/wire.js';

/** Longest path accepted in an advertisement, in sites. */
export const MAX_SITE_PATH = 32;

/** The best way to a site: the link and the sites on the path (the neighbour first, the site last). */
export interface SitePath<L> {
  link: L;
  path: readonly string[];
}

/** What {@link SiteTable.recompute} changed. */
export interface SiteChanges<L> {
  /** Sites reachable now that were not before. */
  up: Array<[site: string, best: SitePath<L>]>;
  /** Sites whose best link or path length changed. */
  moved: Array<[site: string, best: SitePath<L>]>;
  /** Sites not reachable any more. */
  down: string[];
}

/** What a site tells about itself, carried unchanged along its advertisements. */
export interface SiteInfo {
  /** Where its hub accepts site links; `host` absent when it listens on every interface (a neighbour fills it in). */
  endpoint?: { host?: string; port: number };
  /** Free data about the site (`federate({metadata})`). */
  metadata: Record<string, unknown>;
  /** The peer name of its hub (`supervision`), which actions and datagrams are addressed to. */
  hub?: string;
}

interface LinkPaths {
  neighbour: string;
  /** site -> path as advertised by the neighbour (neighbour first, site last). */
  paths: Map<string, readonly string[]>;
  /** site -> what the site says of itself, as advertised on this link. */
  infos: Map<string, SiteInfo>;
  /** site -> when its path was learned (the table's learning counter). */
  learned: Map<string, number>;
}

/**
 * A site whose best path was lost: until `until` (ms), only paths learned after `since` count, or
 * known ones that avoid the failed neighbour `avoid` (when we know it).
 */
interface Hold {
  since: number;
  until: number;
  avoid: string | undefined;
}

const NO_INFO: SiteInfo = { metadata: {} };

export class SiteTable<L> {
  private readonly links = new Map<L, LinkPaths>();
  private best = new Map<string, SitePath<L>>();
  private readonly held = new Map<string, Hold>();
  /** Counts learned paths; `batchStart` is its value at the end of the last recompute. */
  private learning = 0;
  private batchStart = 0;
  /** Links dropped since the last recompute, with their neighbours. */
  private readonly dropped = new Map<L, string>();

  constructor(
    readonly self: string,
    /** What we say of ourselves in every advertisement. */
    private selfInfo: SiteInfo = NO_INFO,
    /** How long a site whose best path was lost takes only paths learned after the loss, ms. */
    private readonly holdDownMs = 0,
  ) {}

  /** Change what we say of ourselves (advertised from the next {@link advertisementFor}). */
  setSelfInfo(info: SiteInfo): void {
    this.selfInfo = info;
  }

  /** A site link came up to `neighbour`. */
  addLink(link: L, neighbour: string): void {
    this.links.set(link, {
      neighbour,
      paths: new Map([[neighbour, [neighbour]]]),
      infos: new Map(),
      learned: new Map([[neighbour, ++this.learning]]),
    });
  }

  /** A site link went down: its paths are forgotten (call {@link recompute} next). */
  removeLink(link: L): void {
    const state = this.links.get(link);
    if (state) this.dropped.set(link, state.neighbour);
    this.links.delete(link);
  }

  /** The site at the other end of a link. */
  neighbourOf(link: L): string | undefined {
    return this.links.get(link)?.neighbour;
  }

  /** Whether a direct link to `site` is up. */
  isNeighbour(site: string): boolean {
    for (const l of this.links.values()) if (l.neighbour === site) return true;
    return false;
  }

  /** Whether `site` is reachable through `link` (its own best path, not necessarily ours). */
  reachableVia(site: string, link: L): boolean {
    return this.links.get(link)?.paths.has(site) ?? false;
  }

  /** Sites reachable now. */
  sites(): string[] {
    return [...this.best.keys()];
  }

  /** What a reachable site says of itself (through our best path to it). */
  infoOf(site: string): SiteInfo | undefined {
    const best = this.best.get(site);
    return best ? (this.links.get(best.link)?.infos.get(site) ?? NO_INFO) : undefined;
  }

  /** Our best path to a site. */
  bestOf(site: string): SitePath<L> | undefined {
    return this.best.get(site);
  }

  /**
   * Take an advertisement from `link`: `added` entries `[site, path]` (the path as the neighbour
   * sent it, itself first), `removed` sites. A path through our own site withdraws the entry.
   * Throws BAD_FRAME on a malformed entry (nothing is applied then).
   */
  learn(link: L, added: unknown, removed: unknown): void {
    const state = this.links.get(link);
    if (!state) return;
    if (!Array.isArray(added) || !Array.isArray(removed)) throw bad('expected [added, removed] arrays');
    const checked: Array<[string, string[], SiteInfo | undefined]> = [];
    for (const entry of added as unknown[]) {
      if (!Array.isArray(entry) || !Array.isArray(entry[1])) throw bad(`bad entry ${JSON.stringify(entry)}`);
      const site: unknown = entry[0];
      const path = entry[1] as unknown[];
      if (typeof site !== 'string' || !SITE_PATTERN.test(site)) throw bad(`bad site ${JSON.stringify(site)}`);
      if (path.length === 0 || path.length > MAX_SITE_PATH)
        throw bad(`path to "${site}" has ${path.length} sites (1-${MAX_SITE_PATH})`);
      if (!path.every((s) => typeof s === 'string' && SITE_PATTERN.test(s)))
        throw bad(`path to "${site}" holds a bad site name`);
      if (path[0] !== state.neighbour || path[path.length - 1] !== site) {
        throw bad(`path to "${site}" ${JSON.stringify(path)} must start at "${state.neighbour}" and end at "${site}"`);
      }
      if (new Set(path).size !== path.length) throw bad(`path to "${site}" ${JSON.stringify(path)} has a loop`);
      checked.push([site, path as string[], entry[2] === undefined ? undefined : checkInfo(site, entry[2])]);
    }
    for (const site of removed as unknown[])
      if (typeof site !== 'string') throw bad(`bad removed site ${JSON.stringify(site)}`);
    for (const site of removed as string[]) if (site !== state.neighbour) state.paths.delete(site);
    for (const [site, path, info] of checked) {
      if (info) state.infos.set(site, info);
      if (site === state.neighbour) continue; // the neighbour itself is always [neighbour]
      if (path.includes(this.self)) state.paths.delete(site);
      else {
        state.paths.set(site, path);
        state.learned.set(site, ++this.learning);
      }
    }
    for (const site of state.infos.keys()) if (!state.paths.has(site)) state.infos.delete(site);
  }

  /** When the next hold-down ends (ms, the clock of {@link recompute}), if a site is held. */
  nextExpiry(): number | undefined {
    let next: number | undefined;
    for (const { until } of this.held.values()) if (next === undefined || until < next) next = until;
    return next;
  }

  /** Choose the best path to every site again at time `now` (ms); returns what changed since the last call. */
  recompute(now = 0): SiteChanges<L> {
    this.holdLost(now);
    const next = new Map<string, SitePath<L>>();
    for (const [link, state] of this.links) {
      for (const [site, path] of state.paths) {
        if (site === this.self) continue;
        const hold = this.held.get(site);
        if (
          hold &&
          (state.learned.get(site) ?? 0) <= hold.since &&
          (hold.avoid === undefined || path.includes(hold.avoid))
        )
          continue;
        const current = next.get(site);
        if (!current || better(path, link, current, this.best.get(site))) next.set(site, { link, path });
      }
    }
    const changes: SiteChanges<L> = { up: [], moved: [], down: [] };
    for (const [site, best] of next) {
      const old = this.best.get(site);
      if (!old) changes.up.push([site, best]);
      else if (old.link !== best.link || old.path.length !== best.path.length) changes.moved.push([site, best]);
    }
    for (const site of this.best.keys()) if (!next.has(site)) changes.down.push(site);
    this.best = next;
    this.batchStart = this.learning;
    this.dropped.clear();
    return changes;
  }

  /** Start a hold-down for every site whose best path is gone since the last recompute; end the expired ones. */
  private holdLost(now: number): void {
    for (const [site, hold] of this.held) if (now >= hold.until) this.held.delete(site);
    if (this.holdDownMs <= 0) return;
    for (const [site, old] of this.best) {
      const path = this.links.get(old.link)?.paths.get(site);
      if (path && samePath(path, old.path)) continue;
      if (this.held.has(site)) continue;
      const failed = this.dropped.get(old.link); // the link to this neighbour dropped
      this.held.set(site, {
        since: this.batchStart,
        until: now + this.holdDownMs,
        avoid: failed === site ? undefined : failed,
      });
    }
  }

  /**
   * What we advertise on `link`: ourselves, and every site whose best path does not go through
   * the link's neighbour (split horizon), as site -> path (ourselves first).
   */
  advertisementFor(link: L): Map<string, [string[], SiteInfo]> {
    const out = new Map<string, [string[], SiteInfo]>([[this.self, [[this.self], this.selfInfo]]]);
    const neighbour = this.links.get(link)?.neighbour;
    for (const [site, best] of this.best) {
      if (neighbour !== undefined && best.path.includes(neighbour)) continue;
      if (best.path.length >= MAX_SITE_PATH) continue;
      out.set(site, [[this.self, ...best.path], this.links.get(best.link)?.infos.get(site) ?? NO_INFO]);
    }
    return out;
  }
}

function samePath(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((site, i) => site === b[i]);
}

/** Shorter wins; on a tie the current best stays (no flapping), else the smaller neighbour name. */
function better<L>(path: readonly string[], link: L, current: SitePath<L>, previous: SitePath<L> | undefined): boolean {
  if (path.length !== current.path.length) return path.length < current.path.length;
  if (previous && previous.link === link && previous.path.length === path.length) return true;
  if (previous && previous.link === current.link && previous.path.length === current.path.length) return false;
  return path[0]! < current.path[0]!;
}

function checkInfo(site: string, info: unknown): SiteInfo {
  if (!info || typeof info !== 'object' || Array.isArray(info)) throw bad(`info of "${site}": expected an object`);
  const { endpoint, metadata, hub } = info as { endpoint?: unknown; metadata?: unknown; hub?: unknown };
  const out: SiteInfo = { metadata: {} };
  if (hub !== undefined) {
    if (typeof hub !== 'string' || !NAME_PATTERN.test(hub)) throw bad(`hub of "${site}": expected a peer name`);
    out.hub = hub;
  }
  if (metadata !== undefined) {
    if (!metadata || typeof metadata !== 'object' || Array.isArray(metadata))
      throw bad(`metadata of "${site}": expected an object`);
    out.metadata = metadata as Record<string, unknown>;
  }
  if (endpoint !== undefined) {
    const e = endpoint as { host?: unknown; port?: unknown };
    const portOk = typeof e.port === 'number' && Number.isInteger(e.port) && e.port > 0 && e.port < 65536;
    const hostOk = e.host === undefined || (typeof e.host === 'string' && e.host.length > 0 && e.host.length < 256);
    if (!e || typeof e !== 'object' || !portOk || !hostOk) throw bad(`endpoint of "${site}": expected {host?, port}`);
    out.endpoint = { port: e.port as number, ...(typeof e.host === 'string' ? { host: e.host } : {}) };
  }
  return out;
}

function bad(message: string): PeersError {
  return new PeersError(Code.BAD_FRAME, `site routes message: ${message}`);
}
