/**
 * A trend of one address (uPlot): its stored history for a range (1 h, 24 h, 7 d) from the
 * `loggers` module, then the values seen live, numbers as they are and booleans as 0/1, at most
 * {@link MAX_POINTS} live points beyond the history. Drag on the chart to zoom, double-click to
 * zoom out (uPlot's own). Loaded on demand, not on first paint.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** Live points kept beyond the loaded history. */
export const MAX_POINTS = 600;

export interface Trend {
  /** Replace the data with stored history (`[timeMs, value]` points). */
  load(points: ReadonlyArray<readonly [number, unknown, ...unknown[]]>): void;
  push(value: unknown, date: Date): void;
  /** Points shown now. */
  readonly size: number;
  destroy(): void;
}

const toY = (value: unknown): number => (typeof value === 'boolean' ? Number(value) : typeof value === 'number' ? value : Number.NaN);

/** A trend of `label` in `container`, sized to it. */
export function createTrend(container: HTMLElement, label: string, unit: string | undefined): Trend {
  let xs: number[] = [];
  let ys: number[] = [];
  let history = 0;
  const width = (): number => Math.max(280, container.clientWidth - 8);
  const plot = new uPlot(
    {
      width: width(),
      height: 220,
      scales: { x: { time: true } },
      axes: [{}, { label: unit ?? '' }],
      series: [{}, { label, stroke: '#1f6feb', width: 2, fill: 'rgba(31,111,235,0.08)' }],
      legend: { show: true },
    },
    [xs, ys],
    container,
  );
  const resize = new ResizeObserver(() => plot.setSize({ width: width(), height: 220 }));
  resize.observe(container);
  const draw = (): void => {
    plot.setData([xs, ys]);
    container.dataset.points = String(xs.length);
  };
  return {
    load(points) {
      const kept = points.filter((p) => Number.isFinite(toY(p[1])));
      xs = kept.map((p) => p[0] / 1000);
      ys = kept.map((p) => toY(p[1]));
      history = xs.length;
      draw();
    },
    push(value, date) {
      const y = toY(value);
      if (!Number.isFinite(y)) return;
      xs.push(date.getTime() / 1000);
      ys.push(y);
      if (xs.length - history > MAX_POINTS) (xs.shift(), ys.shift(), (history = Math.max(0, history - 1)));
      draw();
    },
    get size() {
      return xs.length;
    },
    destroy() {
      resize.disconnect();
      plot.destroy();
    },
  };
}
