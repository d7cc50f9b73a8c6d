import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runBgpBench } from "../../bench/lib/bgp-bench.js";
import { CLI, namespacesWithPrefix } from "../e2e/lab-scenario.js";

// bench:bgp at its smallest (3 hosts, mesh and reflectors), so the benchmark cannot rot.

const results = mkdtempSync(join(tmpdir(), "nk-bench-bgp-test-"));
afterAll(() => rmSync(results, { recursive: true, force: true }));

describe("bench:bgp at 3 hosts", () => {
  it("sees every block in every kernel for both layouts and leaves no lab behind", async () => {
    const { rows } = await runBgpBench({
      sizes: [3],
      labPrefix: "ybg",
      cli: CLI,
      resultsDir: results,
      timeoutMs: 60_000,
      log: () => {},
    });
    expect(rows.map((row) => row.layout)).toEqual(["full mesh", "reflectors"]);
    for (const row of rows) {
      expect(row.applyExitCode).toBe(0);
      expect(row.allBlocksMs).toBeDefined();
    }
    expect(await namespacesWithPrefix("ybg0")).toEqual([]);
    expect(await namespacesWithPrefix("ybg1")).toEqual([]);
  }, 240_000);
});
