/**
 * This site's place on the ring of joined sites (seed 003): who is responsible for a value, and
 * this site's `successor` / `predecessor`, with the changes of either told on each update.
 * Pure: no I/O, no timers (see ring.ts for the hashing).
 */
import { DEFAULT_VNODES, HashRing, ringPoints, type RingNeighbours } from './hash-ring.js';

/** Sites whose ring points are kept (they are recomputed only for sites beyond this many). */
const MAX_CACHED_SITES = 1024;

/** A neighbour that changed: which one, and the site it is now (undefined when alone). */
export interface EnvironmentChange {
  which: 'successor' | 'predecessor';
  site: string | undefined;
}

export class Responsibility {
  private ring: HashRing;
  private key: string;
  private current: RingNeighbours = { successor: undefined, predecessor: undefined };
  /** site -> its ring points: the ring is rebuilt on every change of the sites, hashed once per site. */
  private readonly points = new Map<string, Uint32Array>();
  private readonly pointsOf = (site: string, vnodes: number): Uint32Array => {
    let p = this.points.get(site);
    if (!p) {
      p = ringPoints(site, vnodes);
      if (this.points.size >= MAX_CACHED_SITES) this.points.clear();
      this.points.set(site, p);
    }
    return p;
  };

  constructor(
    readonly self: string,
    /** Points per site on the ring. */
    readonly vnodes = DEFAULT_VNODES,
  ) {
    this.ring = new HashRing([self], vnodes);
    this.key = self;
  }

  /** The sites on the ring now (this one included), in ring order. */
  get sites(): readonly string[] {
    return this.ring.sites;
  }

  /** The other sites reachable now: rebuild the ring if they changed; returns the neighbour changes. */
  update(others: Iterable<string>): EnvironmentChange[] {
    const all = [...new Set([this.self, ...others])].sort();
    const key = all.join(',');
    if (key === this.key) return [];
    this.key = key;
    this.ring = new HashRing(all, this.vnodes, this.pointsOf);
    const next = this.ring.neighboursOf(this.self);
    const changes: EnvironmentChange[] = [];
    if (next.successor !== this.current.successor) changes.push({ which: 'successor', site: next.successor });
    if (next.predecessor !== this.current.predecessor) changes.push({ which: 'predecessor', site: next.predecessor });
    this.current = next;
    return changes;
  }

  /** The site responsible for `value`. */
  ownerOf(value: string): string {
    return this.ring.ownerOf(value) ?? this.self;
  }

  isResponsibleFor(value: string): boolean {
    return this.ownerOf(value) === this.self;
  }

  /** This site's successor and predecessor on the ring (undefined when alone). */
  neighbours(): RingNeighbours {
    return { ...this.current };
  }
}
