/** The path-vector site table on its own: best paths, loops dropped, failover, split horizon, bad input. */
import { describe, expect, it } from 'vitest';
import { Code } from '../src/errors.js';
import { MAX_SITE_PATH, SiteTable } from '../src/site-routes.js';

type L = string; // links are opaque to the table: names do

describe('SiteTable', () => {
  it('learns neighbours and sites behind them, with the shortest path as best', () => {
    const t = new SiteTable<L>('a');
    t.addLink('to-b', 'b');
    t.addLink('to-c', 'c');
    t.learn('to-b', [['d', ['b', 'd']]], []);
    t.learn('to-c', [['d', ['c', 'e', 'd']], ['e', ['c', 'e']]], []);
    const changes = t.recompute();
    expect(changes.up.map(([s, best]) => [s, best.link, best.path.length]).sort()).toEqual([
      ['b', 'to-b', 1],
      ['c', 'to-c', 1],
      ['d', 'to-b', 2],
      ['e', 'to-c', 2],
    ]);
    expect(t.reachableVia('d', 'to-c')).toBe(true);
    expect(t.reachableVia('e', 'to-b')).toBe(false);
  });

  it('drops a path through its own site (no loops), and withdraws the entry it replaces', () => {
    const t = new SiteTable<L>('a');
    t.addLink('to-b', 'b');
    t.learn('to-b', [['c', ['b', 'c']]], []);
    t.recompute();
    expect(t.sites().sort()).toEqual(['b', 'c']);
    t.learn('to-b', [['c', ['b', 'a', 'c']]], []);
    expect(t.recompute().down).toEqual(['c']);
  });

  it('fails over to the next link at once when the best one drops, and reports unreachable sites', () => {
    const t = new SiteTable<L>('a');
    t.addLink('to-b', 'b');
    t.addLink('to-c', 'c');
    t.learn('to-b', [['d', ['b', 'd']]], []);
    t.learn('to-c', [['d', ['c', 'd']]], []);
    t.recompute();
    expect(t.bestOf('d')?.link).toBe('to-b'); // tie: the smaller neighbour
    t.removeLink('to-b');
    const changes = t.recompute();
    expect(changes.moved.map(([s, best]) => [s, best.link])).toEqual([['d', 'to-c']]);
    expect(changes.down).toEqual(['b']);
    t.learn('to-c', [], ['d']);
    expect(t.recompute().down).toEqual(['d']);
  });

  it('keeps the current best on a tie (no flapping)', () => {
    const t = new SiteTable<L>('a');
    t.addLink('to-c', 'c');
    t.learn('to-c', [['d', ['c', 'd']]], []);
    t.recompute();
    t.addLink('to-b', 'b');
    t.learn('to-b', [['d', ['b', 'd']]], []);
    const changes = t.recompute();
    expect(changes.moved).toEqual([]);
    expect(t.bestOf('d')?.link).toBe('to-c');
  });

  it('advertises itself and every site not reached through the link (split horizon)', () => {
    const t = new SiteTable<L>('a');
    t.addLink('to-b', 'b');
    t.addLink('to-c', 'c');
    t.learn('to-b', [['d', ['b', 'd']]], []);
    t.recompute();
    const paths = (link: L): Array<[string, string[]]> => [...t.advertisementFor(link)].map(([site, [path]]) => [site, path]);
    expect(paths('to-b')).toEqual([
      ['a', ['a']],
      ['c', ['a', 'c']],
    ]);
    expect(paths('to-c').sort()).toEqual([
      ['a', ['a']],
      ['b', ['a', 'b']],
      ['d', ['a', 'b', 'd']],
    ]);
  });

  it('carries what each site says of itself (endpoint, metadata) along its best path', () => {
    const t = new SiteTable<L>('a', { endpoint: { host: '10.0.0.1', port: 7443 }, metadata: { building: 'A' } });
    t.addLink('to-b', 'b');
    t.learn('to-b', [['b', ['b'], { endpoint: { host: '10.0.0.2', port: 7443 }, metadata: { building: 'B' } }], ['c', ['b', 'c'], { metadata: { building: 'C' } }]], []);
    t.recompute();
    expect(t.infoOf('b')).toEqual({ endpoint: { host: '10.0.0.2', port: 7443 }, metadata: { building: 'B' } });
    expect(t.infoOf('c')).toEqual({ metadata: { building: 'C' } });
    expect(t.advertisementFor('to-x').get('a')).toEqual([['a'], { endpoint: { host: '10.0.0.1', port: 7443 }, metadata: { building: 'A' } }]);
    expect(() => t.learn('to-b', [['c', ['b', 'c'], { endpoint: { port: 'x' } }]], [])).toThrow(expect.objectContaining({ code: Code.BAD_FRAME }));
    expect(() => t.learn('to-b', [['c', ['b', 'c'], { metadata: [1] }]], [])).toThrow(expect.objectContaining({ code: Code.BAD_FRAME }));
  });

  it('refuses malformed advertisements with a coded error and applies nothing', () => {
    const t = new SiteTable<L>('a');
    t.addLink('to-b', 'b');
    const bad: Array<[unknown, unknown]> = [
      ['nope', []],
      [[['c', ['x', 'c']]], []],
      [[['c', ['b']]], []],
      [[['C', ['b', 'C']]], []],
      [[['c', ['b', 'd', 'b', 'c']]], []],
      [[['c', Array.from({ length: MAX_SITE_PATH + 1 }, (_, i) => (i === 0 ? 'b' : `s${i}`))]], []],
      [[['d', ['b', 'd']], 7], []],
      [[], [5]],
    ];
    for (const [added, removed] of bad) {
      expect(() => t.learn('to-b', added, removed), JSON.stringify(added)).toThrow(expect.objectContaining({ code: Code.BAD_FRAME }));
    }
    t.recompute();
    expect(t.sites()).toEqual(['b']);
  });
});
