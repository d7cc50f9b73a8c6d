import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runPlanBench } from "../../bench/lib/plan-bench.js";
import { CLI } from "../e2e/lab-scenario.js";

// bench:plan at its smallest (3 hosts, one mode), so the benchmark cannot rot.

const results = mkdtempSync(join(tmpdir(), "nk-bench-plan-test-"));
afterAll(() => rmSync(results, { recursive: true, force: true }));

describe("bench:plan at 3 hosts", () => {
  it("measures each run in its own process and writes the table and the plot", async () => {
    const { scale, render, report } = await runPlanBench({
      sizes: [3],
      modes: ["vxlan"],
      renderSize: 3,
      cli: CLI,
      resultsDir: results,
      timeoutMs: 60_000,
      log: () => {},
    });
    for (const run of [...scale, ...render]) {
      expect(run.measurement.exitCode).toBe(0);
      // A child's own peak: a node process holds tens of MiB at least.
      expect(run.measurement.maxRssMiB).toBeGreaterThan(20);
      expect(run.measurement.stdoutBytes).toBeGreaterThan(0);
    }
    expect(render.map((run) => run.variant)).toHaveLength(5);
    expect(readFileSync(join(results, "plan.md"), "utf8")).toBe(report);
    expect(readFileSync(join(results, "plan-time.svg"), "utf8")).toMatch(/^<svg[^]*<polyline/);
  }, 120_000);
});
