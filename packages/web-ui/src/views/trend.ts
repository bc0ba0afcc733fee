/**
 * A trend chart (uPlot) of one or several addresses on one time axis: each address's stored
 * history (from the `loggers` module), then its values seen live, numbers as they are and
 * booleans as 0/1, at most {@link MAX_POINTS} live points per address beyond its history. A drag
 * across the chart selects a time range and hands it to `onZoom` (the panel loads that range's
 * finer history). Loaded on demand, not on first paint.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** Live points kept per address beyond the loaded history. */
export const MAX_POINTS = 600;

/** Line colours of the series, in order (then again). */
const COLOURS = ['#1f6feb', '#d1242f', '#1a7f37', '#9a6700', '#8250df', '#0969da'];

/** One address drawn on the chart. */
export interface TrendLine {
  key: string;
  label: string;
  unit?: string | undefined;
}

export interface Trend {
  /** Replace the stored history of `key` (`[timeMs, value, ...]` points). */
  load(key: string, points: ReadonlyArray<readonly [number, unknown, ...unknown[]]>): void;
  push(key: string, value: unknown, date: Date): void;
  /** Points shown now, all lines together. */
  readonly size: number;
  destroy(): void;
}

interface Line {
  xs: number[];
  ys: number[];
  history: number;
}

const toY = (value: unknown): number =>
  typeof value === 'boolean' ? Number(value) : typeof value === 'number' ? value : Number.NaN;

/** A trend of `lines` in `container`, sized to it; a drag selects a range for `onZoom(fromMs, toMs)`. */
export function createTrend(
  container: HTMLElement,
  lines: readonly TrendLine[],
  onZoom: (fromMs: number, toMs: number) => void,
): Trend {
  const data = new Map<string, Line>(lines.map((l) => [l.key, { xs: [], ys: [], history: 0 }]));
  const units = [...new Set(lines.map((l) => l.unit ?? ''))].filter(Boolean).join(', ');
  const width = (): number => Math.max(280, container.clientWidth - 8);
  const aligned = (): uPlot.AlignedData => {
    const tables = [...data.values()].map((l) => [l.xs, l.ys] as uPlot.AlignedData);
    return tables.length === 1 ? tables[0]! : uPlot.join(tables);
  };
  const plot = new uPlot(
    {
      width: width(),
      height: 240,
      scales: { x: { time: true } },
      axes: [{}, { label: units }],
      series: [
        {},
        ...lines.map((l, i) => ({ label: l.label, stroke: COLOURS[i % COLOURS.length]!, width: 2, spanGaps: true })),
      ],
      legend: { show: true },
      // The drag selects a range; the panel loads it (finer history) instead of uPlot stretching what it has.
      cursor: { drag: { x: true, y: false, setScale: false } },
      hooks: {
        setSelect: [
          (u) => {
            if (u.select.width < 3) return;
            const from = u.posToVal(u.select.left, 'x') * 1000;
            const to = u.posToVal(u.select.left + u.select.width, 'x') * 1000;
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
            onZoom(Math.round(from), Math.round(to));
          },
        ],
      },
    },
    aligned(),
    container,
  );
  const resize = new ResizeObserver(() => plot.setSize({ width: width(), height: 240 }));
  resize.observe(container);
  const draw = (): void => {
    plot.setData(aligned());
    container.dataset.points = String([...data.values()].reduce((n, l) => n + l.xs.length, 0));
    container.dataset.lines = String(data.size);
  };
  draw();
  return {
    load(key, points) {
      const line = data.get(key);
      if (!line) return;
      const kept = points.filter((p) => Number.isFinite(toY(p[1])));
      line.xs = kept.map((p) => p[0] / 1000);
      line.ys = kept.map((p) => toY(p[1]));
      line.history = line.xs.length;
      draw();
    },
    push(key, value, date) {
      const line = data.get(key);
      const y = toY(value);
      if (!line || !Number.isFinite(y)) return;
      const x = date.getTime() / 1000;
      if (line.xs.length > 0 && x <= line.xs[line.xs.length - 1]!) return; // uPlot.join needs increasing times
      line.xs.push(x);
      line.ys.push(y);
      if (line.xs.length - line.history > MAX_POINTS) {
        line.xs.shift();
        line.ys.shift();
        line.history = Math.max(0, line.history - 1);
      }
      draw();
    },
    get size() {
      return [...data.values()].reduce((n, l) => n + l.xs.length, 0);
    },
    destroy() {
      resize.disconnect();
      plot.destroy();
    },
  };
}
