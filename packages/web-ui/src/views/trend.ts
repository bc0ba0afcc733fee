/**
 * A small live trend of one address (uPlot): the values seen since it was chosen, numbers as they
 * are and booleans as 0/1, at most {@link MAX_POINTS}. Loaded on demand, not on first paint.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** Points kept in a trend. */
export const MAX_POINTS = 600;

export interface Trend {
  push(value: unknown, date: Date): void;
  destroy(): void;
}

/** A trend of `label` in `container`, sized to it. */
export function createTrend(container: HTMLElement, label: string, unit: string | undefined): Trend {
  const xs: number[] = [];
  const ys: number[] = [];
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
  return {
    push(value, date) {
      const y = typeof value === 'boolean' ? Number(value) : typeof value === 'number' ? value : Number.NaN;
      if (!Number.isFinite(y)) return;
      xs.push(date.getTime() / 1000);
      ys.push(y);
      if (xs.length > MAX_POINTS) (xs.shift(), ys.shift());
      plot.setData([xs, ys]);
    },
    destroy() {
      resize.disconnect();
      plot.destroy();
    },
  };
}
