/**
 * The Northbound section of the overview: one row per MQTT bridge (`northbound_<id>` processes)
 * with its status as `system.processes` gives it (docs/northbound.md): broker and connection,
 * values waiting in the store-and-forward buffer (count and size), published per second and in
 * all, dropped (buffer full), and the last error. Hidden on a site without bridges; rows are
 * updated in place at each refresh of the process list.
 */
import { h } from '../dom.js';
import { formatBytes, formatTime } from '../format.js';
import type { ProcessInfo } from '../peers.js';

/** A bridge's status (the `BridgeStatus` of @weble/northbound's contract, the fields shown here). */
export interface BridgeStatusView {
  id: string;
  mode: string;
  connected: boolean;
  broker: string | null;
  listening: boolean;
  buffered: { count: number; bytes: number };
  published: number;
  publishedPerSec: number;
  dropped: number;
  lastError: { code: string; message: string; at: number } | null;
}

/** A process of the list, with the bridge status the supervisor adds to northbound processes. */
type ProcessWithBridge = ProcessInfo & { bridge?: BridgeStatusView };

const COLUMNS = ['Bridge', 'Mode', 'Broker', 'Link', 'Buffered', 'Published/s', 'Published', 'Dropped', 'Last error'];
const count = (n: number): string => n.toLocaleString('en-US');

/** The link in one word: connected or disconnected (to its broker) while the process is up, else the process state. */
export function bridgeLink(p: ProcessWithBridge): string {
  if (p.state !== 'up' || !p.bridge) return p.state;
  return p.bridge.connected ? 'connected' : 'disconnected';
}

/** The section, and `update` to call with every process list. */
export function northboundSection(): { element: HTMLElement; update(list: readonly ProcessInfo[]): void } {
  const body = h('tbody');
  const element = h(
    'section',
    { 'aria-labelledby': 'nb-title', hidden: true },
    h('h2', { id: 'nb-title' }, 'Northbound'),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'northbound' },
        h('thead', {}, h('tr', {}, ...COLUMNS.map((t) => h('th', { scope: 'col' }, t)))),
        body,
      ),
    ),
  );
  const rows = new Map<string, { row: HTMLTableRowElement; cells: HTMLElement[] }>();

  const update = (list: readonly ProcessInfo[]): void => {
    const bridges = (list as ProcessWithBridge[]).filter((p) => (p.kind as string) === 'northbound');
    element.hidden = bridges.length === 0;
    const seen = new Set<string>();
    for (const p of bridges) {
      seen.add(p.name);
      let entry = rows.get(p.name);
      if (!entry) {
        const cells = COLUMNS.slice(1).map((column) =>
          h('td', { 'data-col': column.toLowerCase().replace(/[^a-z]+/g, '-') }),
        );
        const row = h('tr', { 'data-bridge': p.name }, h('th', { scope: 'row' }, p.name), ...cells);
        body.append(row);
        entry = { row, cells };
        rows.set(p.name, entry);
      }
      const b = p.bridge;
      const link = bridgeLink(p);
      const error = b?.lastError ?? null;
      const values = [
        b?.mode ?? '—',
        b?.broker ?? '—',
        h(
          'span',
          {
            class: `badge state-${link === 'connected' ? 'up' : link === 'disconnected' ? 'offline' : link.replace(/[^a-z-]/gi, '')}`,
          },
          link,
        ),
        b ? `${count(b.buffered.count)} (${formatBytes(b.buffered.bytes)})` : '—',
        b ? count(b.publishedPerSec) : '—',
        b ? count(b.published) : '—',
        b ? count(b.dropped) : '—',
        error
          ? h('span', {}, h('strong', {}, error.code), ` ${formatTime(new Date(error.at))}: ${error.message}`)
          : '—',
      ];
      values.forEach((value, i) => entry.cells[i]!.replaceChildren(value));
    }
    for (const [name, entry] of rows)
      if (!seen.has(name)) {
        entry.row.remove();
        rows.delete(name);
      }
  };
  return { element, update };
}
