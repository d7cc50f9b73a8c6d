import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateTopology, type BenchMode } from "./generate-topology.js";
import { formatMarkdownTable, seconds } from "./markdown-table.js";
import { runMeasuredNode, type Measurement } from "./run-measured.js";
import { renderLineChartSvg } from "./svg-line-chart.js";

export interface PlanBenchOptions {
  /** Host counts to plan, for every mode. */
  readonly sizes: readonly number[];
  readonly modes: readonly BenchMode[];
  /** The host count (vxlan) at which each output format and --out is measured; 0: none. */
  readonly renderSize: number;
  /** The built CLI (dist/cli/main.js). */
  readonly cli: string;
  /** Where the tables and the SVG go. */
  readonly resultsDir: string;
  /** A child still running after this long is killed and reported as such. */
  readonly timeoutMs: number;
  readonly log: (line: string) => void;
}

/** One `netplan-k plan --empty` run of the benchmark. */
export interface PlanRun {
  readonly mode: BenchMode;
  readonly hosts: number;
  readonly variant: string;
  readonly measurement: Measurement;
}

export interface PlanBenchResult {
  readonly scale: readonly PlanRun[];
  readonly render: readonly PlanRun[];
  /** The markdown written to plan.md (also printed). */
  readonly report: string;
}

/** The output variants measured at renderSize, as plan arguments. */
const VARIANTS: readonly { readonly name: string; readonly args: (out: string) => string[] }[] = [
  { name: "text (summary)", args: () => [] },
  { name: "text --full", args: () => ["--full"] },
  { name: "-o json", args: () => ["-o", "json"] },
  { name: "-o markdown", args: () => ["-o", "markdown"] },
  { name: "text + --out plan.json", args: (out) => ["--out", out] },
];

const outcome = (m: Measurement): string =>
  m.exitCode === 0 ? "ok" : m.exitCode === null ? "killed (timeout)" : `exit ${m.exitCode}`;

/** The columns every table of this benchmark ends with, one per figure of a Measurement. */
const MEASUREMENT_COLUMNS = ["wall s", "CPU s", "peak MiB", "stdout bytes", "outcome"];

/** One run's figures, in the order of MEASUREMENT_COLUMNS. */
const cellsOf = (m: Measurement): (string | number)[] => [
  seconds(m.wallMs),
  seconds(m.cpuMs),
  Math.round(m.maxRssMiB),
  m.stdoutBytes,
  outcome(m),
];

/**
 * Plans generated topologies offline (`plan --empty`, no host contacted), one child process
 * per run so that each run's peak memory is its own: every mode at every size, then every
 * output format at renderSize. Writes plan.md, plan.json and plan-time.svg to resultsDir.
 */
export async function runPlanBench(options: PlanBenchOptions): Promise<PlanBenchResult> {
  const work = mkdtempSync(join(tmpdir(), "nk-bench-plan-"));
  mkdirSync(options.resultsDir, { recursive: true });
  try {
    const plan = async (mode: BenchMode, hosts: number, variant: string, args: string[]) => {
      const topology = join(work, `${mode}-${hosts}.yaml`);
      writeFileSync(
        topology,
        generateTopology({ name: `bench-${mode}`, hosts, mode, reflectors: mode === "bgp" }),
      );
      const measurement = await runMeasuredNode(
        [options.cli, "plan", topology, "--empty", ...args],
        {
          stdoutFile: join(work, "stdout"),
          workDir: work,
          timeoutMs: options.timeoutMs,
        },
      );
      options.log(
        `plan ${mode} ${hosts} hosts ${variant}: ${seconds(measurement.wallMs)} s, ` +
          `${Math.round(measurement.maxRssMiB)} MiB, ${outcome(measurement)}`,
      );
      return { mode, hosts, variant, measurement };
    };
    const scale: PlanRun[] = [];
    for (const mode of options.modes) {
      for (const hosts of options.sizes) scale.push(await plan(mode, hosts, "text", []));
    }
    const render: PlanRun[] = [];
    for (const variant of options.renderSize > 0 ? VARIANTS : []) {
      const out = join(work, "plan.json");
      render.push(await plan("vxlan", options.renderSize, variant.name, variant.args(out)));
    }

    const report = [
      "## Offline plan (`plan --empty`, default text output)",
      "",
      formatMarkdownTable(
        ["mode", "hosts", ...MEASUREMENT_COLUMNS],
        scale.map(({ mode, hosts, measurement }) => [mode, hosts, ...cellsOf(measurement)]),
      ),
      "",
      `## Output formats, vxlan at ${options.renderSize} hosts`,
      "",
      formatMarkdownTable(
        ["output", ...MEASUREMENT_COLUMNS],
        render.map(({ variant, measurement }) => [variant, ...cellsOf(measurement)]),
      ),
      "",
    ].join("\n");
    writeFileSync(join(options.resultsDir, "plan.md"), report);
    writeFileSync(
      join(options.resultsDir, "plan.json"),
      `${JSON.stringify({ scale, render }, null, 2)}\n`,
    );
    writeFileSync(
      join(options.resultsDir, "plan-time.svg"),
      renderLineChartSvg({
        title: "Offline plan: CPU time against host count",
        xLabel: "hosts",
        yLabel: "CPU seconds",
        series: options.modes.map((mode) => ({
          name: mode,
          points: scale
            .filter((run) => run.mode === mode && run.measurement.exitCode === 0)
            .map((run) => ({ x: run.hosts, y: run.measurement.cpuMs / 1000 })),
        })),
      }),
    );
    return { scale, render, report };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
