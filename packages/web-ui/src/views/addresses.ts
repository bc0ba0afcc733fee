/**
 * Addresses: every address (key, name, alias, gateway, value, unit, time) in a table filtered by a
 * search box, a page of rows at a time, values updated live from `newValue <key>` with a visible
 * flash, stale and bad values greyed with a badge and the reason (`valueQuality <key>`), state texts
 * instead of bare numbers, a write dialog per writable address (none for read-only points), and a
 * trend of the chosen address with its stored history.
 *
 * Only the rows on the page are followed: a site of thousands of addresses costs each browser (and
 * the hub) the listeners of one page, not two per address. A row that comes back onto the page
 * reads its last value again (`getAddress`), since changes were not followed while it was away.
 */
import type { View } from '../context.js';
import { h, labelColumns } from '../dom.js';
import { formatValue } from '../format.js';
import type { Quality } from '../peers.js';
import { createTrendPanel } from './trend-panel.js';
import { openWriteDialog } from './write-dialog.js';
import { stateText } from '../value-type.js';
import { can } from '../access.js';
import { AddressRow } from './address-row.js';

/** Rows on one page. */
export const PAGE_SIZE = 100;

interface Followed {
  onValue: (key: string, value: unknown, valueString: string, date: Date, quality?: Quality) => void;
  onQuality: (key: string, quality: Quality, reason: string | null) => void;
}

export const addressesView: View = (ctx, root) => {
  const search = h('input', {
    id: 'address-search',
    type: 'search',
    placeholder: 'key, name, alias or gateway',
    autocomplete: 'off',
  });
  const count = h('span', { class: 'muted', 'aria-live': 'polite' });
  const previous = h('button', { type: 'button', class: 'action', 'aria-label': 'Previous page of addresses' }, '‹');
  const next = h('button', { type: 'button', class: 'action', 'aria-label': 'Next page of addresses' }, '›');
  const body = h('tbody');
  const trend = createTrendPanel(ctx);
  root.append(
    h('h1', {}, 'Addresses'),
    h(
      'div',
      { class: 'toolbar' },
      h('label', { for: 'address-search' }, 'Search addresses'),
      search,
      previous,
      count,
      next,
    ),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'addresses cards' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ...['Key', 'Name', 'Alias', 'Gateway', 'Value', 'Unit', 'Time', 'Actions'].map((t) =>
              h('th', { scope: 'col' }, t),
            ),
          ),
        ),
        body,
      ),
    ),
    trend.element,
  );

  let rows: AddressRow[] = [];
  let matching: AddressRow[] = [];
  let page = 0;
  /** The rows on the page. */
  let shown: AddressRow[] = [];
  const followed = new Map<AddressRow, Followed>();
  const trended = new Set<AddressRow>();

  const actions = {
    mayWrite: can(ctx.role, 'write'),
    write: (r: AddressRow): void =>
      openWriteDialog(ctx.gateways, r.address, r.current, (v) =>
        ctx.announce(
          v === null
            ? `Relinquished ${r.label}`
            : `Wrote ${stateText(v, r.address.info) ?? formatValue(v)} to ${r.label}`,
        ),
      ),
    trend: (r: AddressRow, add: boolean): void => {
      if (!add) trended.clear();
      trended.add(r);
      for (const s of shown) s.element.classList.toggle('trended', trended.has(s));
      followOnly();
      void (add ? trend.add(r.address) : trend.choose(r.address));
    },
  };

  const follow = (r: AddressRow): void => {
    const key = r.address.key;
    const f: Followed = {
      onValue: (_key, value, _s, date, quality) => {
        const when = date instanceof Date ? date : new Date();
        r.setValue(value, when, true);
        r.setQuality(quality, null);
        trend.push(key, value, when);
      },
      onQuality: (_key, quality, reason) => r.setQuality(quality, reason),
    };
    followed.set(r, f);
    ctx.gateways.on(`newValue ${key}`, f.onValue);
    ctx.gateways.on(`valueQuality ${key}`, f.onQuality);
    if (r.behind) void catchUp(r);
  };

  const unfollow = (r: AddressRow): void => {
    const f = followed.get(r);
    if (!f) return;
    followed.delete(r);
    ctx.gateways.removeListener(`newValue ${r.address.key}`, f.onValue);
    ctx.gateways.removeListener(`valueQuality ${r.address.key}`, f.onQuality);
    r.behind = true;
  };

  /** Read the last value of a row that comes back onto the page; a value that arrived meanwhile wins. */
  const catchUp = async (r: AddressRow): Promise<void> => {
    r.behind = false;
    const address = await ctx.gateways.getAddress(r.address.key).catch(() => undefined);
    const last = address?.last;
    if (!last || !followed.has(r)) return;
    const date = new Date(last.date).getTime();
    if (date < r.date) return;
    r.setValue(last.value, date, date > r.date);
    r.setQuality(last.quality, last.reason);
  };

  /** Follow the rows on the page and those in the trend (it is fed live values), no others. */
  const followOnly = (): void => {
    const keep = new Set([...shown, ...trended]);
    for (const r of [...followed.keys()]) if (!keep.has(r)) unfollow(r);
    for (const r of keep) if (!followed.has(r)) follow(r);
  };

  const pageCount = (): number => Math.max(1, Math.ceil(matching.length / PAGE_SIZE));
  const rowsOfPage = (): AddressRow[] => {
    page = Math.min(page, pageCount() - 1);
    return matching.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE);
  };

  /** Show page `page` of the rows that match the search. */
  const render = (): void => {
    const pages = pageCount();
    shown = rowsOfPage();
    followOnly();
    body.replaceChildren(...shown.map((r) => r.element));
    for (const r of shown) r.element.classList.toggle('trended', trended.has(r));
    labelColumns(body.parentElement as HTMLTableElement);
    const of = matching.length === rows.length ? '' : ` (${rows.length} in all)`;
    count.textContent =
      matching.length === 0
        ? `0 of ${rows.length} addresses`
        : `${page * PAGE_SIZE + 1}–${page * PAGE_SIZE + shown.length} of ${matching.length} addresses${of}`;
    previous.disabled = page === 0;
    next.disabled = page >= pages - 1;
    previous.hidden = next.hidden = pages === 1;
  };

  /** The rows that match the search box. */
  const match = (): void => {
    const words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    matching = rows.filter((r) => words.every((w) => r.text.includes(w)));
  };
  search.addEventListener('input', () => {
    match();
    page = 0;
    render();
  });
  previous.addEventListener('click', () => {
    page--;
    render();
  });
  next.addEventListener('click', () => {
    page++;
    render();
  });

  const unfollowAll = (): void => {
    for (const r of [...followed.keys()]) unfollow(r);
  };

  const load = async (): Promise<void> => {
    const [addresses, gateways] = await Promise.all([ctx.gateways.listAddresses(), ctx.gateways.listGateways()]);
    const gatewayNames = new Map(gateways.map((g) => [String(g.id), g.name ?? String(g.id)]));
    unfollowAll();
    rows = addresses.map(
      (address) =>
        new AddressRow(address, gatewayNames.get(String(address.gateway)) ?? String(address.gateway), actions),
    );
    trended.clear();
    match();
    // The list was just read: the rows of the page are up to date, the others are read when shown.
    for (const r of rowsOfPage()) r.behind = false;
    render();
  };

  const reload = (): void =>
    void load().catch((error: Error) => (count.textContent = `Could not load the addresses: ${error.message}`));
  reload();
  const lifecycle = ['addressInserted', 'addressUpdated', 'addressDeleted'];
  for (const event of lifecycle) ctx.gateways.on(event, reload);
  const offReconnect = ctx.onReconnect(reload);
  search.focus();
  return () => {
    offReconnect();
    for (const event of lifecycle) ctx.gateways.removeListener(event, reload);
    unfollowAll();
    trend.destroy();
  };
};
