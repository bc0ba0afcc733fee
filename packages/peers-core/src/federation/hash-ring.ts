/**
 * Responsibility by consistent hashing (seed 003): a ring of site names, each placed at
 * `vnodes` points (`hash("site#i")`). A value belongs to the site owning the first point at or
 * after `hash(value)`, wrapping round. Adding a site moves only values to that site; removing
 * one moves only its values. A site's neighbours (`successor`, `predecessor`) are the next and
 * previous sites in the order of their first point `hash(site)`. Pure: no I/O, no timers.
 */
import { createRequire } from 'node:module';

/**
 * node:crypto, required on the first hash: every process that imports peers-core's root loads
 * this file (the root re-exports federation), and only a federated site builds a ring. Loading
 * node:crypto at start cost the supervisor about 0.5 MiB of RSS (docs/memory.md, "The
 * supervisor").
 */
const requireBuiltin = createRequire(import.meta.url);
let crypto: typeof import('node:crypto') | undefined;

/** Points per site on the ring. Default 64: with 5 sites each owns 20 % ± about 5 % of the values. */
export const DEFAULT_VNODES = 64;

/** 32-bit position of a string on the ring (first 4 bytes of its SHA-1). */
export function ringHash(value: string): number {
  crypto ??= requireBuiltin('node:crypto') as typeof import('node:crypto');
  return crypto.createHash('sha1').update(value).digest().readUInt32BE(0);
}

/** The `vnodes` points of a site on the ring: `hash("site#i")`. */
export function ringPoints(site: string, vnodes: number): Uint32Array {
  const out = new Uint32Array(vnodes);
  for (let i = 0; i < vnodes; i++) out[i] = ringHash(`${site}#${i}`);
  return out;
}

/** A site's neighbours on the ring; both undefined when the site is alone. */
export interface RingNeighbours {
  successor: string | undefined;
  predecessor: string | undefined;
}

export class HashRing {
  /** Sites on the ring, in the order of their first point. */
  readonly sites: readonly string[];
  private readonly hashes: Uint32Array;
  private readonly owners: string[];

  /**
   * A ring of `sites` (duplicates ignored), each at `vnodes` points (at least 1). `pointsOf`
   * gives a site's points (default: computed; pass {@link ringPoints} memoized to rebuild often).
   */
  constructor(
    sites: Iterable<string>,
    vnodes = DEFAULT_VNODES,
    pointsOf: (site: string, vnodes: number) => ArrayLike<number> = ringPoints,
  ) {
    const unique = [...new Set(sites)];
    const n = Math.max(1, Math.floor(vnodes));
    const points: Array<[number, string]> = [];
    for (const site of unique) {
      const own = pointsOf(site, n);
      for (let i = 0; i < own.length; i++) points.push([own[i]!, site]);
    }
    // Ties between sites (astronomically rare) are broken by name, so every site builds the same ring.
    points.sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
    this.hashes = Uint32Array.from(points.map((p) => p[0]));
    this.owners = points.map((p) => p[1]);
    this.sites = unique
      .map((s) => [ringHash(s), s] as const)
      .sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : 1))
      .map((p) => p[1]);
  }

  /** The site responsible for `value`; undefined on an empty ring. */
  ownerOf(value: string): string | undefined {
    const n = this.hashes.length;
    if (n === 0) return undefined;
    const h = ringHash(value);
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.hashes[mid]! < h) lo = mid + 1;
      else hi = mid;
    }
    return this.owners[lo === n ? 0 : lo];
  }

  /** The next and previous site of `site` on the ring (undefined when alone or not on the ring). */
  neighboursOf(site: string): RingNeighbours {
    const i = this.sites.indexOf(site);
    const n = this.sites.length;
    if (i < 0 || n < 2) return { successor: undefined, predecessor: undefined };
    return { successor: this.sites[(i + 1) % n], predecessor: this.sites[(i - 1 + n) % n] };
  }
}
