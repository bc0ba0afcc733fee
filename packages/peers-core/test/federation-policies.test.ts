/** The pure policies of federation: the hash ring, responsibility, the dedup window, selection by property. */
import { describe, expect, it } from 'vitest';
import { DedupWindow } from '../src/federation/dedup-window.js';
import { HashRing } from '../src/federation/hash-ring.js';
import { Responsibility } from '../src/federation/responsibility.js';
import { choose, matches, propertyOf, type Candidate } from '../src/federation/selection.js';

const values = Array.from({ length: 2000 }, (_, i) => `value-${i}`);

describe('HashRing', () => {
  it('gives every value an owner, the same on every ring of the same sites in any order', () => {
    const a = new HashRing(['s1', 's2', 's3', 's4']);
    const b = new HashRing(['s4', 's2', 's1', 's3', 's2']);
    for (const v of values) expect(a.ownerOf(v)).toBe(b.ownerOf(v));
    expect(new HashRing([]).ownerOf('x')).toBeUndefined();
  });

  it('spreads values evenly enough with virtual nodes (each of 5 sites owns 10-30 %)', () => {
    const ring = new HashRing(['a', 'b', 'c', 'd', 'e']);
    const counts = new Map<string, number>();
    for (const v of values) counts.set(ring.ownerOf(v)!, (counts.get(ring.ownerOf(v)!) ?? 0) + 1);
    expect(counts.size).toBe(5);
    for (const n of counts.values()) {
      expect(n / values.length).toBeGreaterThan(0.1);
      expect(n / values.length).toBeLessThan(0.3);
    }
  });

  it('moves values only to a joining site, and only from a leaving one', () => {
    const before = new HashRing(['a', 'b', 'c', 'd']);
    const after = new HashRing(['a', 'b', 'c', 'd', 'e']);
    let moved = 0;
    for (const v of values) {
      if (before.ownerOf(v) !== after.ownerOf(v)) {
        moved++;
        expect(after.ownerOf(v)).toBe('e');
      }
    }
    expect(moved).toBeGreaterThan(0);
    const without = new HashRing(['a', 'c', 'd']);
    for (const v of values) if (before.ownerOf(v) !== 'b') expect(without.ownerOf(v)).toBe(before.ownerOf(v));
  });

  it('has neighbours in ring order; none when alone', () => {
    const ring = new HashRing(['a', 'b', 'c']);
    const order = ring.sites;
    expect([...order].sort()).toEqual(['a', 'b', 'c']);
    expect(ring.neighboursOf(order[0]!)).toEqual({ successor: order[1], predecessor: order[2] });
    expect(new HashRing(['a']).neighboursOf('a')).toEqual({ successor: undefined, predecessor: undefined });
    expect(ring.neighboursOf('zz')).toEqual({ successor: undefined, predecessor: undefined });
  });
});

describe('Responsibility', () => {
  it('reports successor and predecessor changes once, and nothing when the sites did not change', () => {
    const r = new Responsibility('a');
    expect(r.isResponsibleFor('anything')).toBe(true);
    expect(r.update([])).toEqual([]);
    const two = r.update(['b']);
    expect(two).toEqual([
      { which: 'successor', site: 'b' },
      { which: 'predecessor', site: 'b' },
    ]);
    expect(r.update(['b'])).toEqual([]);
    const many = r.update(['b', 'c', 'd', 'e', 'f']);
    const ring = new HashRing(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(r.neighbours()).toEqual(ring.neighboursOf('a'));
    for (const change of many) expect(change.site).toBe(ring.neighboursOf('a')[change.which]);
    expect(r.update([])).toEqual([
      { which: 'successor', site: undefined },
      { which: 'predecessor', site: undefined },
    ]);
    for (const v of values.slice(0, 50)) expect(r.ownerOf(v)).toBe('a');
  });
});

describe('DedupWindow', () => {
  it('accepts each sequence number once, in any order within the window', () => {
    const w = new DedupWindow(64, 4);
    const order = [5, 1, 3, 2, 4, 0, 9, 7, 8, 6];
    for (const s of order) expect(w.accept('x', s)).toBe(true);
    for (const s of order) expect(w.accept('x', s)).toBe(false);
    expect(w.accept('y', 5)).toBe(true); // sources are apart
  });

  it('refuses numbers older than the window and bad numbers; a jump clears the window', () => {
    const w = new DedupWindow(16, 4);
    expect(w.accept('x', 100)).toBe(true);
    expect(w.accept('x', 84)).toBe(false); // 16 below the top: out of the window
    expect(w.accept('x', 85)).toBe(true);
    expect(w.accept('x', 1000)).toBe(true);
    expect(w.accept('x', 999)).toBe(true);
    expect(w.accept('x', 1000)).toBe(false);
    expect(w.accept('x', -1)).toBe(false);
    expect(w.accept('x', 1.5)).toBe(false);
    expect(w.accept('x', Number.NaN)).toBe(false);
  });

  it('remembers at most maxSources sources, forgetting the least recently heard', () => {
    const w = new DedupWindow(8, 3);
    for (const s of ['a', 'b', 'c']) w.accept(s, 1);
    w.accept('a', 2); // a heard again: b is now the oldest
    w.accept('d', 1);
    expect(w.sourceCount).toBe(3);
    expect(w.accept('a', 1)).toBe(false); // still remembered
    expect(w.accept('b', 1)).toBe(true); // forgotten, so new again
  });

  it('rejects a bad size', () => {
    expect(() => new DedupWindow(10)).toThrow(RangeError);
    expect(() => new DedupWindow(8, 0)).toThrow(RangeError);
  });
});

describe('selection by property', () => {
  const sites: Candidate[] = [
    { site: 'a', hops: 1, metadata: { role: 'Meter', building: 'A', tags: ['north', 'old'], spec: { floors: 3 } } },
    { site: 'b', hops: 2, metadata: { role: 'boiler', building: 'B' } },
    { site: 'c', hops: 1, metadata: { role: 'meter', building: 'C', floors: 3 } },
    { site: 'd', hops: 3, metadata: { building: 'D', active: false } },
  ];

  it('reads site, state, hops and metadata (dotted keys look inside)', () => {
    expect(propertyOf(sites[0]!, 'site')).toBe('a');
    expect(propertyOf(sites[0]!, 'state')).toBe('linked');
    expect(propertyOf(sites[1]!, 'state')).toBe('relayed');
    expect(propertyOf(sites[1]!, 'hops')).toBe(2);
    expect(propertyOf(sites[0]!, 'spec.floors')).toBe(3);
    expect(propertyOf(sites[0]!, 'spec.rooms')).toBeUndefined();
    expect(propertyOf(sites[0]!, 'toString')).toBeUndefined();
  });

  it('matches strings case-insensitively, any of an array, any element of an array property', () => {
    expect(matches('Meter', 'METER')).toBe(true);
    expect(matches('3', 3)).toBe(false);
    expect(matches(false, [1, false])).toBe(true);
    expect(matches(['north', 'old'], 'OLD')).toBe(true);
    expect(matches(undefined, 'x')).toBe(false);
  });

  it('chooses all matches, or a random sample of the count', () => {
    expect(choose(sites, 'all', 'role', 'meter').map((c) => c.site)).toEqual(['a', 'c']);
    expect(choose(sites, 0, 'role', ['Meter', 'BOILER']).map((c) => c.site)).toEqual(['a', 'b', 'c']);
    expect(choose(sites, 5, 'state', 'linked').map((c) => c.site)).toEqual(['a', 'c']);
    expect(choose(sites, 'all', 'active', false).map((c) => c.site)).toEqual(['d']);
    const seen = new Set<string>();
    let r = 0;
    const random = (): number => (r = (r * 7 + 3) % 11) / 11;
    for (let i = 0; i < 20; i++) {
      const picked = choose(sites, 1, 'role', ['meter', 'boiler'], random);
      expect(picked).toHaveLength(1);
      expect(['a', 'b', 'c']).toContain(picked[0]!.site);
      seen.add(picked[0]!.site);
    }
    expect(seen.size).toBeGreaterThan(1);
  });
});
