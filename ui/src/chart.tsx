// A trend chart (one line per value, months along the bottom) with the same numbers in a
// table beside it for screen readers and for reading exact values. Colour-blind-safe
// palette (Okabe–Ito), and each line also has its own marker shape.
import type { Series } from "./api";
import { label, month } from "./format";

export const PALETTE = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#999999"];
const MARKERS = ["circle", "square", "diamond", "triangle", "circle", "square", "diamond", "triangle"] as const;

/** The series shown: the largest `max`, the rest summed as "Other". */
export function topSeries(series: Series[], max: number): Series[] {
  if (series.length <= max) return series;
  const head = series.slice(0, max - 1);
  const rest = series.slice(max - 1);
  const len = rest[0]?.counts.length ?? 0;
  const counts = Array.from({ length: len }, (_, i) => rest.reduce((s, r) => s + (r.counts[i] ?? 0), 0));
  return [...head, { key: "other", counts, total: counts.reduce((a, b) => a + b, 0) }];
}

/** Points of a polyline for `counts` in a `w`×`h` box with a `maxY` scale. */
export function linePoints(counts: number[], w: number, h: number, maxY: number): [number, number][] {
  const n = counts.length;
  return counts.map((c, i) => [n <= 1 ? w / 2 : (i * w) / (n - 1), maxY <= 0 ? h : h - (c / maxY) * h]);
}

function Marker({ shape, x, y, color }: { shape: (typeof MARKERS)[number]; x: number; y: number; color: string }) {
  switch (shape) {
    case "square":
      return <rect x={x - 3.5} y={y - 3.5} width={7} height={7} fill={color} />;
    case "diamond":
      return <polygon points={`${x},${y - 4.5} ${x + 4.5},${y} ${x},${y + 4.5} ${x - 4.5},${y}`} fill={color} />;
    case "triangle":
      return <polygon points={`${x},${y - 4.5} ${x + 4.5},${y + 4} ${x - 4.5},${y + 4}`} fill={color} />;
    default:
      return <circle cx={x} cy={y} r={3.8} fill={color} />;
  }
}

export function TrendChart(props: { title: string; months: string[]; series: Series[] }) {
  const series = topSeries(props.series, 6);
  const W = 340;
  const H = 150;
  const pad = { l: 30, r: 8, t: 8, b: 22 };
  const maxY = Math.max(1, ...series.flatMap((s) => s.counts));
  const id = `chart-${props.title.replace(/\W+/g, "-").toLowerCase()}`;
  return (
    <section className="chart" aria-labelledby={id}>
      <h3 id={id}>{props.title}</h3>
      {series.length === 0 ? (
        <p className="muted">Nothing recorded yet.</p>
      ) : (
        <div className="chart-body">
          <svg viewBox={`0 0 ${W + pad.l + pad.r} ${H + pad.t + pad.b}`} role="img" aria-hidden="true" focusable="false">
            <g transform={`translate(${pad.l},${pad.t})`}>
              {[0, 0.5, 1].map((f) => (
                <g key={f}>
                  <line x1={0} x2={W} y1={H - f * H} y2={H - f * H} className="grid" />
                  <text x={-4} y={H - f * H + 4} textAnchor="end" className="axis">
                    {Math.round(f * maxY)}
                  </text>
                </g>
              ))}
              {props.months.map((m, i) =>
                i % Math.ceil(props.months.length / 6) === 0 ? (
                  <text key={m} x={props.months.length <= 1 ? W / 2 : (i * W) / (props.months.length - 1)} y={H + 16} textAnchor="middle" className="axis">
                    {month(m)}
                  </text>
                ) : null,
              )}
              {series.map((s, si) => {
                const pts = linePoints(s.counts, W, H, maxY);
                const color = PALETTE[si % PALETTE.length]!;
                return (
                  <g key={s.key}>
                    <polyline points={pts.map((p) => p.join(",")).join(" ")} fill="none" stroke={color} strokeWidth={2} />
                    {pts.map(([x, y], i) => (
                      <g key={i}>
                        <Marker shape={MARKERS[si % MARKERS.length]!} x={x} y={y} color={color} />
                        <title>{`${label(s.key)}, ${month(props.months[i] ?? "")}: ${s.counts[i]}`}</title>
                      </g>
                    ))}
                  </g>
                );
              })}
            </g>
          </svg>
          <table className="chart-table">
            <caption className="sr-only">{props.title}: counts per month</caption>
            <thead>
              <tr>
                <th scope="col">Value</th>
                <th scope="col">Total</th>
                <th scope="col">Last month</th>
              </tr>
            </thead>
            <tbody>
              {series.map((s, si) => (
                <tr key={s.key}>
                  <th scope="row">
                    <span className="swatch" style={{ background: PALETTE[si % PALETTE.length] }} aria-hidden="true" />
                    {s.key === "other" ? "Other" : label(s.key)}
                  </th>
                  <td>{s.total}</td>
                  <td>{s.counts[s.counts.length - 1] ?? 0}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
