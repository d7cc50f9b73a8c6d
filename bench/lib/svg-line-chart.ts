/** One curve of a chart: its name and its points in data units. */
export interface Series {
  readonly name: string;
  readonly points: readonly { readonly x: number; readonly y: number }[];
}

export interface LineChart {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly Series[];
}

const COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"];
const WIDTH = 640;
const HEIGHT = 400;
const MARGIN = { left: 70, right: 150, top: 40, bottom: 50 };

const escapeXml = (text: string): string =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** Five round tick values from 0 to at least `max`. */
function ticks(max: number): number[] {
  const raw = max / 4 || 1;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * magnitude).find((s) => s >= raw) ?? raw;
  return [0, 1, 2, 3, 4].map((i) => i * step);
}

/**
 * A line chart as a standalone SVG document, built from the data alone (no library, no
 * service): linear axes from 0, one coloured curve with dots per series, a legend on the right.
 */
export function renderLineChartSvg(chart: LineChart): string {
  const all = chart.series.flatMap((s) => s.points);
  const xTicks = ticks(Math.max(1, ...all.map((p) => p.x)));
  const yTicks = ticks(Math.max(1e-9, ...all.map((p) => p.y)));
  const xMax = xTicks[4] as number;
  const yMax = yTicks[4] as number;
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const px = (x: number) => (MARGIN.left + (x / xMax) * plotW).toFixed(1);
  const py = (y: number) => (MARGIN.top + plotH - (y / yMax) * plotH).toFixed(1);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="22" text-anchor="middle" font-size="14">${escapeXml(chart.title)}</text>`,
    ...xTicks.map(
      (t) =>
        `<line x1="${px(t)}" y1="${py(0)}" x2="${px(t)}" y2="${py(yMax)}" stroke="#eee"/>` +
        `<text x="${px(t)}" y="${HEIGHT - MARGIN.bottom + 16}" text-anchor="middle">${t}</text>`,
    ),
    ...yTicks.map(
      (t) =>
        `<line x1="${px(0)}" y1="${py(t)}" x2="${px(xMax)}" y2="${py(t)}" stroke="#eee"/>` +
        `<text x="${MARGIN.left - 6}" y="${py(t)}" text-anchor="end" dominant-baseline="middle">${t}</text>`,
    ),
    `<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 12}" text-anchor="middle">${escapeXml(chart.xLabel)}</text>`,
    `<text transform="translate(18 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(chart.yLabel)}</text>`,
    ...chart.series.flatMap((series, index) => {
      const color = COLORS[index % COLORS.length] as string;
      const points = series.points.map((p) => `${px(p.x)},${py(p.y)}`);
      const legendY = MARGIN.top + 10 + index * 18;
      return [
        `<polyline fill="none" stroke="${color}" stroke-width="2" points="${points.join(" ")}"/>`,
        ...series.points.map(
          (p) => `<circle cx="${px(p.x)}" cy="${py(p.y)}" r="3" fill="${color}"/>`,
        ),
        `<rect x="${WIDTH - MARGIN.right + 15}" y="${legendY - 5}" width="12" height="3" fill="${color}"/>`,
        `<text x="${WIDTH - MARGIN.right + 32}" y="${legendY}" dominant-baseline="middle">${escapeXml(series.name)}</text>`,
      ];
    }),
    "</svg>",
  ];
  return `${parts.join("\n")}\n`;
}
