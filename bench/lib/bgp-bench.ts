import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hostNamespace } from "../../src/lab/lab-names.js";
import { generateTopology } from "./generate-topology.js";
import { startLabSession } from "./lab-session.js";
import { formatMarkdownTable, seconds } from "./markdown-table.js";

export interface BgpBenchOptions {
  readonly sizes: readonly number[];
  readonly labPrefix: string;
  readonly cli: string;
  readonly resultsDir: string;
  /** Give up waiting for the blocks after this long (the row then says so). */
  readonly timeoutMs: number;
  readonly log: (line: string) => void;
}

export interface BgpRow {
  readonly hosts: number;
  readonly layout: "full mesh" | "reflectors";
  /** From the start of `apply` until every host's kernel holds every peer's block (proto bird). */
  readonly allBlocksMs: number | undefined;
  /**
   * From the end of the build on every host (apply's `wait` phase event: every BIRD is
   * configured and running) until every host's kernel holds every peer's block: BGP's own
   * convergence, without the apply's observation and build. Undefined when either never came.
   */
  readonly afterBuildMs: number | undefined;
  /** The apply's own wall time (it waits for sessions and blocks itself, then verifies). */
  readonly applyMs: number;
  readonly applyExitCode: number;
}

/**
 * How many routes BIRD has put in each host's kernel (`proto bird`), read straight from the
 * host namespaces by one shell, so that a poll costs one process here instead of one per host
 * (one `ip` per host every 50 ms was 600 spawns a second at 30 hosts, taken from the BIRDs
 * being measured on a 2-core machine).
 */
function birdRouteCounts(namespaces: readonly string[]): number[] {
  const script = 'for ns in "$@"; do ip -n "$ns" -o route show proto bird | wc -l; done';
  const result = spawnSync("sh", ["-c", script, "sh", ...namespaces], { encoding: "utf8" });
  const counts = result.stdout.trim().split("\n").map(Number);
  return namespaces.map((_, index) => counts[index] ?? 0);
}

/** Between two polls: fine enough for a target of seconds, light on a 2-core machine. */
const POLL_INTERVAL_MS = 200;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * bgp convergence: on a lab per size and layout (full mesh, then two reflectors), starts a
 * cold `apply` and polls every host's kernel every 200 ms until each holds the blocks of all
 * other hosts. BIRD's timers are netplan-k's (`connect delay time 1`, kernel `scan time 1`,
 * bird-config.ts). Writes bgp.md and bgp.json to resultsDir. The
 * clock runs from the apply's start and, the figure the target means, from the end of its
 * build on every host (its `wait` phase event).
 */
export async function runBgpBench(
  options: BgpBenchOptions,
): Promise<{ rows: BgpRow[]; report: string }> {
  mkdirSync(options.resultsDir, { recursive: true });
  const rows: BgpRow[] = [];
  let labIndex = 0;
  for (const reflectors of [false, true]) {
    for (const hosts of options.sizes) {
      const work = mkdtempSync(join(tmpdir(), "nk-bench-bgp-"));
      const prefix = `${options.labPrefix}${labIndex++}`;
      try {
        const topology = join(work, "topology.yaml");
        writeFileSync(
          topology,
          generateTopology({
            name: "bench-bgp",
            hosts,
            mode: "bgp",
            reflectors,
            labPrefix: prefix,
          }),
        );
        const lab = startLabSession(options.cli, topology, prefix, work, options.log);
        try {
          const namespaces = Array.from({ length: hosts }, (_, i) =>
            hostNamespace(prefix, `node-${i + 1}`),
          );
          const started = performance.now();
          const apply = spawn(
            process.execPath,
            [options.cli, "apply", topology, "--auto-approve", "--output", "json"],
            { stdio: ["ignore", "pipe", "pipe"] },
          );
          // What apply said, kept to explain a failed run (it reports hosts on stdout), and
          // when its events (one JSON object per line, docs/events-json.md) said the build
          // phase had ended on every host.
          let said = "";
          let waitStartedMs: number | undefined;
          const keep = (chunk: Buffer) => {
            said = (said + chunk.toString()).slice(-2000);
          };
          apply.stdout.on("data", (chunk: Buffer) => {
            if (waitStartedMs === undefined && /"phase":"wait"/.test(chunk.toString())) {
              waitStartedMs = performance.now() - started;
            }
            keep(chunk);
          });
          apply.stderr.on("data", keep);
          const applied = new Promise<{ code: number; ms: number }>((resolve) =>
            apply.on("exit", (code) =>
              resolve({ code: code ?? 1, ms: performance.now() - started }),
            ),
          );
          let allBlocksMs: number | undefined;
          while (performance.now() - started < options.timeoutMs) {
            if (birdRouteCounts(namespaces).every((count) => count >= hosts - 1)) {
              allBlocksMs = performance.now() - started;
              break;
            }
            await sleep(POLL_INTERVAL_MS);
          }
          const { code, ms } = await applied;
          if (code !== 0) options.log(`apply failed (exit ${code}):\n${said}`);
          const row: BgpRow = {
            hosts,
            layout: reflectors ? "reflectors" : "full mesh",
            allBlocksMs,
            afterBuildMs:
              allBlocksMs === undefined || waitStartedMs === undefined
                ? undefined
                : allBlocksMs - waitStartedMs,
            applyMs: ms,
            applyExitCode: code,
          };
          options.log(
            `bgp ${row.layout} ${hosts}: every block after ${allBlocksMs === undefined ? "timeout" : seconds(allBlocksMs)} s (${row.afterBuildMs === undefined ? "n/a" : seconds(row.afterBuildMs)} s after the build), apply ${seconds(ms)} s`,
          );
          rows.push(row);
        } finally {
          lab.down();
        }
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    }
  }
  const report = [
    "## bgp convergence (cold apply; BIRD: connect delay time 1, kernel scan time 1)",
    "",
    formatMarkdownTable(
      [
        "hosts",
        "layout",
        "every block in every kernel, s after apply starts",
        "s after the build ended on every host",
        "apply wall s",
        "apply exit",
      ],
      rows.map((row) => [
        row.hosts,
        row.layout,
        row.allBlocksMs === undefined ? "not within the timeout" : seconds(row.allBlocksMs),
        row.afterBuildMs === undefined ? "n/a" : seconds(row.afterBuildMs),
        seconds(row.applyMs),
        row.applyExitCode,
      ]),
    ),
    "",
  ].join("\n");
  writeFileSync(join(options.resultsDir, "bgp.md"), report);
  writeFileSync(join(options.resultsDir, "bgp.json"), `${JSON.stringify(rows, null, 2)}\n`);
  return { rows, report };
}
