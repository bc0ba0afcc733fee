/**
 * Addresses: every address (key, name, alias, gateway, value, unit, time) in a table filtered by a
 * search box, values updated live from `newValue <key>` with a visible flash, stale and bad values
 * greyed with a badge and the reason (`valueQuality <key>`), state texts instead of bare numbers,
 * a write dialog per writable address (none for read-only points), and a trend of the chosen
 * address with its stored history.
 */
import type { View } from '../context.js';
import { h, labelColumns } from '../dom.js';
import { formatTime, formatValue } from '../format.js';
import type { Address, Quality } from '../peers.js';
import { createTrendPanel } from './trend-panel.js';
import { openWriteDialog } from './write-dialog.js';
import { stateText } from '../value-type.js';
import { ifAllowed } from '../access.js';

interface Row {
  address: Address;
  row: HTMLTableRowElement;
  value: HTMLElement;
  shown: HTMLElement;
  badge: HTMLElement;
  time: HTMLElement;
  text: string;
  current: unknown;
}

export const addressesView: View = (ctx, root) => {
  const search = h('input', {
    id: 'address-search',
    type: 'search',
    placeholder: 'key, name, alias or gateway',
    autocomplete: 'off',
  });
  const count = h('span', { class: 'muted', 'aria-live': 'polite' });
  const body = h('tbody');
  const trend = createTrendPanel(ctx);
  root.append(
    h('h1', {}, 'Addresses'),
    h('div', { class: 'toolbar' }, h('label', { for: 'address-search' }, 'Search addresses'), search, count),
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

  const rows = new Map<string, Row>();
  const listeners = new Map<string, (...args: any[]) => void>(); // eslint-disable-line @typescript-eslint/no-explicit-any

  const applyFilter = (): void => {
    const words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    for (const r of rows.values()) {
      const visible = words.every((w) => r.text.includes(w));
      r.row.hidden = !visible;
      if (visible) shown++;
    }
    count.textContent = `${shown} of ${rows.size} addresses`;
  };
  search.addEventListener('input', applyFilter);

  const showValue = (r: Row, value: unknown, date: Date | string | null, flash: boolean): void => {
    r.current = value;
    const text = stateText(value, r.address.info);
    r.shown.textContent = text ?? formatValue(value);
    if (text !== undefined) r.shown.title = `${text} (${formatValue(value)})`;
    else if (typeof value === 'object' && value !== null) r.shown.title = JSON.stringify(value);
    else r.shown.removeAttribute('title');
    r.time.textContent = formatTime(date);
    if (!flash) return;
    r.value.classList.remove('flash');
    void r.value.offsetWidth; // restart the CSS animation
    r.value.classList.add('flash');
  };

  /** Grey a value that cannot be trusted, with a badge and the reason on hover or focus. */
  const showQuality = (r: Row, quality: Quality | undefined, reason: string | null | undefined): void => {
    const q = quality ?? 'good';
    r.value.dataset.quality = q;
    r.badge.textContent = q === 'good' ? '' : q;
    r.badge.hidden = q === 'good';
    if (q === 'good') r.value.removeAttribute('title');
    else r.value.title = reason ? `${q}: ${reason}` : q;
  };

  const chooseTrend = async (r: Row, add: boolean): Promise<void> => {
    for (const other of rows.values())
      other.row.classList.toggle('trended', other === r || (add && other.row.classList.contains('trended')));
    await (add ? trend.add(r.address) : trend.choose(r.address));
  };

  const unlisten = (): void => {
    for (const [event, fn] of listeners) ctx.gateways.removeListener(event, fn);
    listeners.clear();
  };

  const load = async (): Promise<void> => {
    const [addresses, gateways] = await Promise.all([ctx.gateways.listAddresses(), ctx.gateways.listGateways()]);
    const gatewayNames = new Map(gateways.map((g) => [String(g.id), g.name ?? String(g.id)]));
    unlisten();
    rows.clear();
    body.replaceChildren(
      ...addresses.map((address) => {
        const gateway = gatewayNames.get(String(address.gateway)) ?? String(address.gateway);
        const shown = h('span', { class: 'shown' });
        const badge = h('span', { class: 'quality-badge', hidden: true });
        const value = h('td', { class: 'value', 'aria-live': 'off', tabindex: 0 }, shown, badge);
        const time = h('td', { class: 'time' });
        const label = address.name ?? address.key;
        const writable = address.info?.writable !== false;
        const write = writable
          ? h('button', { type: 'button', class: 'action', 'aria-label': `Write ${label}` }, 'Write…')
          : h('span', { class: 'muted read-only', title: 'This point cannot be written' }, 'read-only');
        const trendButton = h(
          'button',
          { type: 'button', class: 'action', 'aria-label': `Trend of ${label}` },
          'Trend',
        );
        const addButton = h(
          'button',
          { type: 'button', class: 'action', 'aria-label': `Add ${label} to the trend` },
          '+',
        );
        const row = h(
          'tr',
          { 'data-key': address.key },
          h('th', { scope: 'row' }, address.key),
          h('td', {}, address.name ?? ''),
          h('td', {}, address.alias ?? ''),
          h('td', {}, gateway),
          value,
          h('td', {}, address.unit ?? address.info?.unit ?? ''),
          time,
          h('td', { class: 'actions' }, ifAllowed(ctx.role, 'write', write), trendButton, addButton),
        );
        const r: Row = {
          address,
          row,
          value,
          shown,
          badge,
          time,
          text: [address.key, address.name, address.alias, gateway].join(' ').toLowerCase(),
          current: address.last?.value,
        };
        rows.set(address.key, r);
        showValue(r, address.last?.value, address.last?.date ?? null, false);
        showQuality(r, address.last?.quality, address.last?.reason);
        if (writable) {
          write.addEventListener('click', () =>
            openWriteDialog(ctx.gateways, address, r.current, (v) =>
              ctx.announce(
                v === null
                  ? `Relinquished ${label}`
                  : `Wrote ${stateText(v, address.info) ?? formatValue(v)} to ${label}`,
              ),
            ),
          );
        }
        trendButton.addEventListener('click', () => void chooseTrend(r, false));
        addButton.addEventListener('click', () => void chooseTrend(r, true));
        const fn = (_key: string, v: unknown, _s: string, date: Date, quality?: Quality): void => {
          const when = date instanceof Date ? date : new Date();
          showValue(r, v, when, true);
          showQuality(r, quality, null);
          trend.push(address.key, v, when);
        };
        const onQuality = (_key: string, quality: Quality, reason: string | null): void =>
          showQuality(r, quality, reason);
        listeners.set(`newValue ${address.key}`, fn);
        listeners.set(`valueQuality ${address.key}`, onQuality);
        ctx.gateways.on(`newValue ${address.key}`, fn);
        ctx.gateways.on(`valueQuality ${address.key}`, onQuality);
        return row;
      }),
    );
    labelColumns(body.parentElement as HTMLTableElement);
    applyFilter();
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
    unlisten();
    trend.destroy();
  };
};
