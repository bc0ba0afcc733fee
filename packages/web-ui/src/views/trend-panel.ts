/**
 * The trend panel of the addresses page: the chosen address's stored history for a range preset
 * (1 h, 24 h, 7 d) with its live values after it, and a CSV download of the range. The chart
 * module is loaded on demand.
 */
import type { ViewContext } from '../context.js';
import { h } from '../dom.js';
import type { Address, LoggersModule } from '../peers.js';
import type { Trend } from './trend.js';

/** Range presets, ms. */
export const RANGES = { '1 h': 3_600_000, '24 h': 86_400_000, '7 d': 604_800_000 } as const;
/** Chart points asked for (min and max per bucket: spikes stay). */
const CHART_POINTS = 1000;

export interface TrendPanel {
  readonly element: HTMLElement;
  choose(address: Address): Promise<void>;
  push(key: string, value: unknown, date: Date): void;
  destroy(): void;
}

export function createTrendPanel(ctx: ViewContext): TrendPanel {
  const title = h('h2', { id: 'trend-title' }, 'Trend');
  const status = h('span', { class: 'muted', id: 'trend-status', 'aria-live': 'polite' });
  const box = h('div', { class: 'trend-box' }, h('p', { class: 'muted' }, 'Choose “Trend” on an address to follow its value here.'));
  const buttons = Object.keys(RANGES).map((name) => h('button', { type: 'button', class: 'action', 'data-range': name, 'aria-pressed': name === '1 h' ? 'true' : 'false' }, name));
  const csv = h('button', { type: 'button', class: 'action', id: 'trend-csv', disabled: true }, 'CSV');
  const element = h('section', { class: 'trend', 'aria-labelledby': 'trend-title' }, title, h('div', { class: 'toolbar' }, ...buttons, csv, status), box);
  let range: keyof typeof RANGES = '1 h';
  let current: { address: Address; chart: Trend } | undefined;
  let token = 0;

  const loggers = (): Promise<LoggersModule> => ctx.session.peers('supervision').require<LoggersModule>('loggers');

  const loadHistory = async (address: Address, chart: Trend, mine: number): Promise<void> => {
    const to = Date.now();
    status.textContent = 'Loading history…';
    try {
      const series = await (await loggers()).history(address.key, { from: to - RANGES[range], to, maxPoints: CHART_POINTS });
      if (mine !== token) return;
      chart.load(series.points);
      status.textContent = series.points.length > 0 ? `${series.points.length} stored points` : 'No stored history for this address';
    } catch (error) {
      if (mine === token) status.textContent = `History unavailable: ${(error as Error).message}`;
    }
  };

  for (const button of buttons) {
    button.addEventListener('click', () => {
      range = button.dataset.range as keyof typeof RANGES;
      for (const b of buttons) b.setAttribute('aria-pressed', String(b === button));
      if (current) void loadHistory(current.address, current.chart, ++token);
    });
  }
  csv.addEventListener('click', () => {
    if (!current) return;
    const { address } = current;
    const to = Date.now();
    void loggers()
      .then((l) => l.exportCsv(address.key, { from: to - RANGES[range], to }))
      .then((text) => {
        const link = h('a', { href: URL.createObjectURL(new Blob([text], { type: 'text/csv' })), download: `${address.key.replace(/[^\w.-]+/g, '_')}.csv` });
        link.click();
        URL.revokeObjectURL(link.href);
      })
      .catch((error: Error) => (status.textContent = `CSV unavailable: ${error.message}`));
  });

  return {
    element,
    async choose(address) {
      const mine = ++token;
      current?.chart.destroy();
      current = undefined;
      const { createTrend } = await import('./trend.js');
      if (mine !== token) return;
      title.textContent = `Trend of ${address.key}${address.name ? ` (${address.name})` : ''}`;
      box.replaceChildren();
      const chart = createTrend(box, address.name ?? address.key, address.unit);
      current = { address, chart };
      csv.disabled = false;
      await loadHistory(address, chart, mine);
    },
    push(key, value, date) {
      if (current?.address.key === key) current.chart.push(value, date);
    },
    destroy() {
      token++;
      current?.chart.destroy();
    },
  };
}
