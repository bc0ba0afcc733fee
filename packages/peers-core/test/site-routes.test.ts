/** The path-vector site table on its own: best paths, loops dropped, failover, split horizon, bad input. */
import { describe, expect, it } from 'vitest';
import { Code } from '../src/errors.js';
import { MAX_SITE_PATH, SiteTable } from '../src/federation/site-routes.js';

type L = string; // links are opaque to the table: names do

describe('SiteTable', () => {
  it('learns neighbours and sites behind them, with the shortest path as best', () => {
    const t = new SiteTable<L>('a');
    t.addLink('to-b', 'b');
    t.addLink('to-c', 'c');
    t.learn('to-b', [['d', ['b', 'd']]], []);
    t.learn(
      'to-c',
      [
        ['d', ['c', 'e', 'd']],
        ['e', ['c', 'e']],
      ],
      [],
    );
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

  it('holds a site down when its best path is lost: paths known from before are not taken, so a dead site stays gone', () => {
    const t = new SiteTable<L>('a', undefined, 1000);
    t.addLink('to-b', 'b');
    t.addLink('to-c', 'c');
    t.learn('to-b', [['d', ['b', 'd']]], []);
    t.learn('to-c', [['d', ['c', 'e', 'd']]], []);
    t.recompute(0);
    expect(t.bestOf('d')?.link).toBe('to-b');
    t.learn('to-b', [], ['d']); // d died: b withdraws it first
    let changes = t.recompute(10);
    expect(changes.down).toEqual(['d']); // the path through c was advertised before the loss
    expect(changes.moved).toEqual([]);
    expect(t.nextExpiry()).toBe(1010);
    t.learn('to-c', [], ['d']); // the withdrawal through c arrives
    changes = t.recompute(40);
    expect(changes.up).toEqual([]);
    expect(t.recompute(1010).up).toEqual([]);
    expect(t.nextExpiry()).toBeUndefined();
  });

  it('a live site comes back through another path after the hold-down, or at once on news learned after the loss', () => {
    const setup = (): SiteTable<L> => {
      const t = new SiteTable<L>('a', undefined, 1000);
      t.addLink('to-b', 'b');
      t.addLink('to-c', 'c');
      t.learn('to-b', [['d', ['b', 'd']]], []);
      t.learn('to-c', [['d', ['c', 'd']]], []);
      t.recompute(0);
      t.learn('to-b', [], ['d']); // b lost d: where the failure is, nobody says
      expect(t.recompute(10).down).toEqual(['d']);
      return t;
    };
    const late = setup();
    expect(late.recompute(500).up).toEqual([]);
    expect(late.recompute(1010).up.map(([site, best]) => [site, best.link])).toEqual([['d', 'to-c']]);
    const fresh = setup();
    fresh.learn('to-c', [['d', ['c', 'd']]], []); // c tells again, after the loss
    expect(fresh.recompute(20).up.map(([site, best]) => [site, best.link])).toEqual([['d', 'to-c']]);
    const relinked = setup();
    relinked.addLink('to-d', 'd'); // a new direct link is news too
    expect(relinked.recompute(20).up.map(([site, best]) => [site, best.link])).toEqual([['d', 'to-d']]);
  });

  it('when a link drops, a site behind it moves at once to a known path that avoids that neighbour; the neighbour is held', () => {
    const t = new SiteTable<L>('a', undefined, 1000);
    t.addLink('to-b', 'b');
    t.addLink('to-c', 'c');
    t.learn('to-b', [['d', ['b', 'd']]], []);
    t.learn(
      'to-c',
      [
        ['d', ['c', 'd']],
        ['b', ['c', 'd', 'b']],
        ['e', ['c', 'b', 'e']],
      ],
      [],
    );
    t.learn('to-b', [['e', ['b', 'e']]], []);
    t.recompute(0);
    t.removeLink('to-b'); // b may be dead: paths to b, and through b, from before are not taken
    const changes = t.recompute(10);
    expect(changes.moved.map(([site, best]) => [site, best.link])).toEqual([['d', 'to-c']]);
    expect(changes.down.sort()).toEqual(['b', 'e']);
    expect(
      t
        .recompute(1010)
        .up.map(([site]) => site)
        .sort(),
    ).toEqual(['b', 'e']); // b lives after all: back after the hold-down
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
    const paths = (link: L): Array<[string, string[]]> =>
      [...t.advertisementFor(link)].map(([site, [path]]) => [site, path]);
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
    t.learn(
      'to-b',
      [
        ['b', ['b'], { endpoint: { host: '10.0.0.2', port: 7443 }, metadata: { building: 'B' } }],
        ['c', ['b', 'c'], { metadata: { building: 'C' } }],
      ],
      [],
    );
    t.recompute();
    expect(t.infoOf('b')).toEqual({ endpoint: { host: '10.0.0.2', port: 7443 }, metadata: { building: 'B' } });
    expect(t.infoOf('c')).toEqual({ metadata: { building: 'C' } });
    expect(t.advertisementFor('to-x').get('a')).toEqual([
      ['a'],
      { endpoint: { host: '10.0.0.1', port: 7443 }, metadata: { building: 'A' } },
    ]);
    expect(() => t.learn('to-b', [['c', ['b', 'c'], { endpoint: { port: 'x' } }]], [])).toThrow(
      expect.objectContaining({ code: Code.BAD_FRAME }),
    );
    expect(() => t.learn('to-b', [['c', ['b', 'c'], { metadata: [1] }]], [])).toThrow(
      expect.objectContaining({ code: Code.BAD_FRAME }),
    );
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
      expect(() => t.learn('to-b', added, removed), JSON.stringify(added)).toThrow(
        expect.objectContaining({ code: Code.BAD_FRAME }),
      );
    }
    t.recompute();
    expect(t.sites()).toEqual(['b']);
  });
});
