import { outageMs, packetsLost, type PingCount } from "./workload-traffic.js";

/** One measured mode switch: what a ping saw while `apply` moved the lab from one mode to another. */
export interface SwitchMeasure {
  /** "vxlan → host-gw", or with the intermediate topology "vxlan → vxlan+direct → host-gw". */
  readonly path: string;
  readonly attach: string;
  readonly count: PingCount;
  /** The applies together. */
  readonly applyMs: number;
}

const pad = (cells: readonly string[], widths: readonly number[]): string =>
  cells
    .map((cell, i) => cell.padEnd(widths[i] ?? 0))
    .join("  ")
    .trimEnd();

/** Rows and columns padded to the widest cell, for the test log and docs/migration.md. */
export function renderTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const widths = header.map((title, i) =>
    Math.max(title.length, ...rows.map((row) => (row[i] ?? "").length)),
  );
  return [header, ...rows].map((row) => pad(row, widths)).join("\n");
}

/** The loss of each switch, and the outage it stands for (lost packets × the ping interval). */
export function renderSwitchTable(measures: readonly SwitchMeasure[]): string {
  return renderTable(
    ["switch", "attach", "sent", "received", "lost", "≈ outage", "apply"],
    measures.map((m) => [
      m.path,
      m.attach,
      String(m.count.transmitted),
      String(m.count.received),
      String(packetsLost(m.count)),
      `${outageMs(m.count)} ms`,
      `${(m.applyMs / 1000).toFixed(1)} s`,
    ]),
  );
}
