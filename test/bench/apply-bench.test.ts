import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runApplyBench } from "../../bench/lib/apply-bench.js";
import { CLI, namespacesWithPrefix } from "../e2e/lab-scenario.js";

// bench:apply at its smallest (3 hosts, vxlan, floor and naive; Ansible is not in CI), so the
// benchmark cannot rot. Not a timed test: it checks what the benchmark counts, not how fast.

const results = mkdtempSync(join(tmpdir(), "nk-bench-apply-test-"));
afterAll(() => rmSync(results, { recursive: true, force: true }));

describe("bench:apply at 3 hosts", () => {
  it("measures every scenario and way, counts round trips, and leaves no lab behind", async () => {
    const { rows, report } = await runApplyBench({
      sizes: [3],
      modes: ["vxlan"],
      labPrefix: "ybt",
      others: ["floor", "naive"],
      cli: CLI,
      resultsDir: results,
      log: () => {},
    });
    const row = (way: string, scenario: string) =>
      rows.find((r) => r.way === way && r.scenario === scenario);
    expect(rows.map((r) => `${r.way} ${r.scenario}`)).toEqual([
      "netplan-k cold apply",
      "netplan-k no-op apply",
      "netplan-k one-host change",
      "floor cold apply",
      "naive cold apply",
    ]);
    expect(rows.filter((r) => !(r.exitCode === 0 && r.converged))).toEqual([]);
    // Observe, then the build with its verification riding it (apply-plan-phased.ts).
    expect(row("netplan-k", "cold apply")?.roundTripsPerHost).toBe(2);
    expect(row("netplan-k", "no-op apply")?.roundTripsPerHost).toBe(1);
    // The floor opens one connection per host; the naive script one per command.
    expect(row("floor", "cold apply")?.connections).toBe(3);
    expect(row("naive", "cold apply")?.connections).toBeGreaterThan(30);
    expect(readFileSync(join(results, "apply.md"), "utf8")).toBe(report);
    expect(await namespacesWithPrefix("ybt0")).toEqual([]);
  }, 240_000);
});
