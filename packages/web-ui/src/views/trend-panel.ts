/**
 * The trend panel of the addresses page: the stored history of one or several addresses on one
 * chart (“Trend” shows one, “+” adds another), for a range preset (1 h, 24 h, 7 d: live values
 * follow) or a custom range (From/To, or a drag across the chart to zoom into a part: its finer
 * history is loaded), and a CSV download of what is shown. The chart module is loaded on demand.
 */
import type { ViewContext } from '../context.js';
import { h } from '../dom.js';
import type { Address, LoggersModule } from '../peers.js';
import type { Trend } from './trend.js';

/** Range presets, ms. */
export const RANGES = { '1 h': 3_600_000, '24 h': 86_400_000, '7 d': 604_800_000 } as const;
/** Chart points asked for per address (min and max per bucket: spikes stay). */
const CHART_POINTS = 1000;

type Range = { preset: keyof typeof RANGES } | { from: number; to: number };

export interface TrendPanel {
  readonly element: HTMLElement;
  /** Show `address` alone. */
  choose(address: Address): Promise<void>;
  /** Add `address` to the chart. */
  add(address: Address): Promise<void>;
  push(key: string, value: unknown, date: Date): void;
  destroy(): void;
}

/** `ms` as a `datetime-local` value (local time, seconds). */
export function toLocalInput(ms: number): string {
  const d = new Date(ms);
  return new Date(ms - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 19);
}

export function createTrendPanel(ctx: ViewContext): TrendPanel {
  const title = h('h2', { id: 'trend-title' }, 'Trend');
  const status = h('span', { class: 'muted', id: 'trend-status', 'aria-live': 'polite' });
  const box = h(
    'div',
    { class: 'trend-box' },
    h('p', { class: 'muted' }, 'Choose “Trend” on an address to follow its value here, “+” to add one.'),
  );
  const chips = h('div', { class: 'trend-lines', 'aria-label': 'Addresses on the trend' });
  const buttons = Object.keys(RANGES).map((name) =>
    h(
      'button',
      { type: 'button', class: 'action', 'data-range': name, 'aria-pressed': name === '1 h' ? 'true' : 'false' },
      name,
    ),
  );
  const fromInput = h('input', { type: 'datetime-local', step: '1', id: 'trend-from' }) as HTMLInputElement;
  const toInput = h('input', { type: 'datetime-local', step: '1', id: 'trend-to' }) as HTMLInputElement;
  const show = h('button', { type: 'button', class: 'action', id: 'trend-custom' }, 'Show range');
  const custom = h(
    'span',
    { class: 'trend-custom' },
    h('label', { for: 'trend-from' }, 'From'),
    fromInput,
    h('label', { for: 'trend-to' }, 'To'),
    toInput,
    show,
  );
  const csv = h('button', { type: 'button', class: 'action', id: 'trend-csv', disabled: true }, 'CSV');
  const element = h(
    'section',
    { class: 'trend', 'aria-labelledby': 'trend-title' },
    title,
    h('div', { class: 'toolbar' }, ...buttons, custom, csv, status),
    chips,
    box,
  );
  let range: Range = { preset: '1 h' };
  let lines: Address[] = [];
  let chart: Trend | undefined;
  let token = 0;

  const loggers = (): Promise<LoggersModule> => ctx.session.peers('supervision').require<LoggersModule>('loggers');
  const span = (): { from: number; to: number } =>
    'preset' in range ? { from: Date.now() - RANGES[range.preset], to: Date.now() } : range;

  const loadHistory = async (mine: number): Promise<void> => {
    const target = chart;
    if (!target || lines.length === 0) return;
    const { from, to } = span();
    fromInput.value = toLocalInput(from);
    toInput.value = toLocalInput(to);
    status.textContent = 'Loading history…';
    try {
      const series = await (
        await loggers()
      ).history(
        lines.map((a) => a.key),
        { from, to, maxPoints: CHART_POINTS },
      );
      if (mine !== token) return;
      for (const s of series) target.load(s.key, s.points);
      const points = series.reduce((n, s) => n + s.points.length, 0);
      status.textContent = points > 0 ? `${points} stored points` : 'No stored history for this range';
    } catch (error) {
      if (mine === token) status.textContent = `History unavailable: ${(error as Error).message}`;
    }
  };

  /** Draw the chosen addresses again (a new chart) with their history. */
  const redraw = async (): Promise<void> => {
    const mine = ++token;
    chart?.destroy();
    chart = undefined;
    const { createTrend } = await import('./trend.js');
    if (mine !== token) return;
    const names = lines.map((a) => a.name ?? a.key);
    title.textContent =
      lines.length === 0
        ? 'Trend'
        : `Trend of ${lines.map((a) => `${a.key}${a.name ? ` (${a.name})` : ''}`).join(', ')}`;
    chips.replaceChildren(
      ...lines.map((a, i) => {
        const remove = h(
          'button',
          { type: 'button', class: 'action', 'aria-label': `Remove ${names[i]} from the trend` },
          '×',
        );
        remove.addEventListener('click', () => void setLines(lines.filter((x) => x !== a)));
        return h('span', { class: 'chip' }, names[i]!, remove);
      }),
    );
    box.replaceChildren();
    csv.disabled = lines.length === 0;
    if (lines.length === 0) return;
    chart = createTrend(
      box,
      lines.map((a) => ({ key: a.key, label: a.name ?? a.key, unit: a.unit })),
      (from, to) => void setRange({ from, to }),
    );
    await loadHistory(mine);
  };
  const setLines = (next: Address[]): Promise<void> => {
    lines = next;
    return redraw();
  };
  const setRange = (next: Range): Promise<void> => {
    range = next;
    for (const b of buttons)
      b.setAttribute('aria-pressed', String('preset' in next && b.dataset.range === next.preset));
    // Live values follow a preset; a chosen range shows what was stored in it.
    return redraw();
  };

  for (const button of buttons)
    button.addEventListener('click', () => void setRange({ preset: button.dataset.range as keyof typeof RANGES }));
  show.addEventListener('click', () => {
    const from = new Date(fromInput.value).getTime();
    const to = new Date(toInput.value).getTime();
    if (!Number.isFinite(from) || !Number.isFinite(to)) status.textContent = 'Custom range: give both From and To';
    else if (from >= to) status.textContent = 'Custom range: From must be before To';
    else void setRange({ from, to });
  });
  csv.addEventListener('click', () => {
    if (lines.length === 0) return;
    const keys = lines.map((a) => a.key);
    void loggers()
      .then((l) => l.exportCsv(keys, span()))
      .then((text) => {
        const name = keys.length === 1 ? keys[0]!.replace(/[^\w.-]+/g, '_') : 'trend';
        const link = h('a', {
          href: URL.createObjectURL(new Blob([text], { type: 'text/csv' })),
          download: `${name}.csv`,
        });
        link.click();
        URL.revokeObjectURL(link.href);
      })
      .catch((error: Error) => (status.textContent = `CSV unavailable: ${error.message}`));
  });

  return {
    element,
    choose: (address) => setLines([address]),
    add: (address) => (lines.some((a) => a.key === address.key) ? Promise.resolve() : setLines([...lines, address])),
    push(key, value, date) {
      if ('preset' in range) chart?.push(key, value, date);
    },
    destroy() {
      token++;
      chart?.destroy();
    },
  };
}
