// Server-rendered bar charts: plain SVG (no library), with a <title> and <desc>
// for assistive technology, and the same numbers in a table next to each chart.
import { useId } from "react";
import { barChartLayout } from "~/domain/reports";

const COLORS = ["var(--brand, #4338ca)", "#f59e0b", "#10b981", "#ef4444"];

export interface BarChartProps {
  title: string;
  description: string;
  categories: string[];
  series: { name: string; values: number[] }[];
  /** Rates (0–1) shown as percentages on the axis. */
  percent?: boolean;
  height?: number;
}

export function BarChart({ title, description, categories, series, percent, height = 240 }: BarChartProps) {
  const id = useId();
  // Many or long category names are written slanted, with room below the bars.
  const slanted = categories.length > 4 || categories.some((c) => c.length > 12);
  const labelSpace = slanted ? 90 : 30;
  const fullHeight = height + (slanted ? 60 : 0);
  const width = Math.max(480, categories.length * Math.max(56, series.length * 28) + 60);
  const layout = barChartLayout({ categories, series, width, height: fullHeight, labelSpace, ...(percent ? { max: 1 } : {}) });
  const label = (v: number) => (percent ? `${Math.round(v * 100)}%` : Number.isInteger(v) ? String(v) : v.toFixed(1));
  return (
    <figure style={{ margin: 0, overflowX: "auto" }}>
      {series.length > 1 ? (
        <ul className="chart-legend" aria-hidden="true">
          {series.map((s, i) => (
            <li key={s.name}>
              <span className="swatch" style={{ background: COLORS[i % COLORS.length] }} />
              {s.name}
            </li>
          ))}
        </ul>
      ) : null}
      <svg className="chart" viewBox={`0 0 ${width} ${fullHeight}`} width={width} height={fullHeight} role="img" aria-labelledby={`${id}-t ${id}-d`} style={{ maxWidth: `${width}px` }}>
        <title id={`${id}-t`}>{title}</title>
        <desc id={`${id}-d`}>{description}</desc>
        {layout.ticks.map((t) => (
          <g key={t.value}>
            <line className="axis" x1={layout.plot.x} x2={layout.plot.x + layout.plot.width} y1={t.y} y2={t.y} />
            <text x={layout.plot.x - 6} y={t.y + 4} textAnchor="end">
              {label(t.value)}
            </text>
          </g>
        ))}
        {layout.groups.map((g) => (
          <g key={g.category}>
            {g.bars.map((b) => (
              <rect key={b.series} x={b.x} y={b.y} width={b.width} height={b.height} fill={COLORS[b.series % COLORS.length]} rx={2}>
                <title>{`${g.category}, ${series[b.series]!.name}: ${label(b.value)}`}</title>
              </rect>
            ))}
            {slanted ? (
              <text x={g.x + g.width / 2} y={layout.plot.y + layout.plot.height + 14} textAnchor="end" transform={`rotate(-35 ${g.x + g.width / 2} ${layout.plot.y + layout.plot.height + 14})`}>
                {g.category.length > 18 ? `${g.category.slice(0, 17)}…` : g.category}
              </text>
            ) : (
              <text x={g.x + g.width / 2} y={layout.plot.y + layout.plot.height + 18} textAnchor="middle">
                {g.category}
              </text>
            )}
          </g>
        ))}
      </svg>
    </figure>
  );
}
