import { useEffect, useRef } from 'react';
import type uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { CoveragePoint } from './coverage-history';

/**
 * Loaded only with React.lazy: uPlot and its CSS stay out of the first download. It draws on a
 * canvas and reads matchMedia as it loads, both of which jsdom lacks; there the chart stays empty
 * and the summary beside it carries the facts.
 */
export default function CoverageChart({
  points,
  label,
}: {
  points: readonly CoveragePoint[];
  label: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const xs = points.map((d) => Date.parse(`${d.day}T00:00:00Z`) / 1000);
    const ys = points.map((d) => (d.coverage === null ? null : d.coverage * 100));
    let chart: uPlot | undefined;
    let gone = false;
    if (typeof window.matchMedia !== 'function') return;
    void import('uplot').then(({ default: UPlot }) => {
      if (gone) return;
      chart = new UPlot(
        {
          width: Math.max(element.clientWidth, 320),
          height: 200,
          scales: { y: { range: [0, 100] } },
          axes: [{}, { values: (_u, ticks) => ticks.map((t) => `${t}%`) }],
          series: [{}, { label: `${label} coverage`, stroke: '#2f6fdf', width: 2, spanGaps: true }],
        },
        [xs, ys],
        element,
      );
    });
    return () => {
      gone = true;
      chart?.destroy();
    };
  }, [points, label]);
  return (
    <div ref={box} className="coverage-chart" aria-hidden="true" data-testid="coverage-chart" />
  );
}
