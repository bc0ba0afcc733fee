/**
 * Addresses: every address (key, name, alias, gateway, value, unit, time) in a table filtered by a
 * search box, values updated live from `newValue <key>` with a visible flash, a write dialog per
 * address, and a live trend of the chosen address.
 */
import type { View } from '../context.js';
import { h } from '../dom.js';
import { formatTime, formatValue } from '../format.js';
import type { Address } from '../peers.js';
import type { Trend } from './trend.js';
import { openWriteDialog } from './write-dialog.js';

interface Row {
  address: Address;
  row: HTMLTableRowElement;
  value: HTMLElement;
  time: HTMLElement;
  text: string;
  current: unknown;
}

export const addressesView: View = (ctx, root) => {
  const search = h('input', { id: 'address-search', type: 'search', placeholder: 'key, name, alias or gateway', autocomplete: 'off' });
  const count = h('span', { class: 'muted', 'aria-live': 'polite' });
  const body = h('tbody');
  const trendTitle = h('h2', { id: 'trend-title' }, 'Trend');
  const trendBox = h('div', { class: 'trend-box' }, h('p', { class: 'muted' }, 'Choose “Trend” on an address to follow its value here.'));
  root.append(
    h('h1', {}, 'Addresses'),
    h('div', { class: 'toolbar' }, h('label', { for: 'address-search' }, 'Search addresses'), search, count),
    h('div', { class: 'table-wrap' },
      h('table', { class: 'addresses' },
        h('thead', {}, h('tr', {}, ...['Key', 'Name', 'Alias', 'Gateway', 'Value', 'Unit', 'Time', 'Actions'].map((t) => h('th', { scope: 'col' }, t)))),
        body)),
    h('section', { class: 'trend', 'aria-labelledby': 'trend-title' }, trendTitle, trendBox),
  );

  const rows = new Map<string, Row>();
  const listeners = new Map<string, (key: string, value: unknown, valueString: string, date: Date) => void>();
  let trend: { key: string; chart: Trend } | undefined;
  let trendToken = 0;

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
    r.value.textContent = formatValue(value);
    if (typeof value === 'object' && value !== null) r.value.title = JSON.stringify(value);
    else r.value.removeAttribute('title');
    r.time.textContent = formatTime(date);
    if (!flash) return;
    r.value.classList.remove('flash');
    void r.value.offsetWidth; // restart the CSS animation
    r.value.classList.add('flash');
  };

  const chooseTrend = async (r: Row): Promise<void> => {
    const token = ++trendToken;
    trend?.chart.destroy();
    trend = undefined;
    for (const other of rows.values()) other.row.classList.toggle('trended', other === r);
    const { createTrend } = await import('./trend.js');
    if (token !== trendToken) return;
    trendTitle.textContent = `Trend of ${r.address.key}${r.address.name ? ` (${r.address.name})` : ''}`;
    trendBox.replaceChildren();
    const chart = createTrend(trendBox, r.address.name ?? r.address.key, r.address.unit);
    if (r.current !== undefined) chart.push(r.current, new Date());
    trend = { key: r.address.key, chart };
  };

  const unlisten = (): void => {
    for (const [key, fn] of listeners) ctx.gateways.removeListener(`newValue ${key}`, fn);
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
        const value = h('td', { class: 'value', 'aria-live': 'off' });
        const time = h('td', { class: 'time' });
        const label = address.name ?? address.key;
        const write = h('button', { type: 'button', class: 'action', 'aria-label': `Write ${label}` }, 'Write…');
        const trendButton = h('button', { type: 'button', class: 'action', 'aria-label': `Trend of ${label}` }, 'Trend');
        const row = h('tr', { 'data-key': address.key },
          h('th', { scope: 'row' }, address.key), h('td', {}, address.name ?? ''), h('td', {}, address.alias ?? ''), h('td', {}, gateway),
          value, h('td', {}, address.unit ?? ''), time, h('td', { class: 'actions' }, write, trendButton));
        const r: Row = { address, row, value, time, text: [address.key, address.name, address.alias, gateway].join(' ').toLowerCase(), current: address.last?.value };
        rows.set(address.key, r);
        showValue(r, address.last?.value, address.last?.date ?? null, false);
        write.addEventListener('click', () =>
          openWriteDialog(ctx.gateways, address, r.current, (v) => ctx.announce(`Wrote ${formatValue(v)} to ${label}`)),
        );
        trendButton.addEventListener('click', () => void chooseTrend(r));
        const fn = (_key: string, v: unknown, _s: string, date: Date): void => {
          const when = date instanceof Date ? date : new Date();
          showValue(r, v, when, true);
          if (trend?.key === address.key) trend.chart.push(v, when);
        };
        listeners.set(address.key, fn);
        ctx.gateways.on(`newValue ${address.key}`, fn);
        return row;
      }),
    );
    applyFilter();
  };

  const reload = (): void => void load().catch((error: Error) => (count.textContent = `Could not load the addresses: ${error.message}`));
  reload();
  const lifecycle = ['addressInserted', 'addressUpdated', 'addressDeleted'];
  for (const event of lifecycle) ctx.gateways.on(event, reload);
  const offReconnect = ctx.onReconnect(reload);
  search.focus();
  return () => {
    trendToken++;
    offReconnect();
    for (const event of lifecycle) ctx.gateways.removeListener(event, reload);
    unlisten();
    trend?.chart.destroy();
  };
};
