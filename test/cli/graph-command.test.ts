import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";

const scratch = mkdtempSync(join(tmpdir(), "netplan-k-graph-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("graph", () => {
  it("explains in --help how big clusters are drawn", async () => {
    const run = await runCli(["graph", "--help"]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain("Past 8 hosts a full");
    for (const word of ["mermaid", "dot", "svg", "--live", "--out"])
      expect(run.stdout).toContain(word);
  });

  it("writes the graph to --out, the same as the golden one", async () => {
    const out = join(scratch, "graph.dot");
    const run = await runCli(["graph", "examples/lab-bgp.yaml", "-o", "dot", "--out", out]);
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toBe(`Wrote the dot graph of lab-bgp to ${out}.`);
    expect(readFileSync(out, "utf8")).toBe(readFileSync("test/golden/lab-bgp/graph.dot", "utf8"));
  });

  it("refuses an invalid topology with its line and column", async () => {
    const run = await runCli(["graph", "test/topology/bad/25-mode-udp.yaml"]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/^test\/topology\/bad\/25-mode-udp\.yaml:\d+:\d+: /);
    expect(run.stdout).toBe("");
  });
});

describe("plan --graph", () => {
  it("opens the markdown plan with the picture of the new paths", async () => {
    const run = await runCli([
      "plan",
      "examples/host-gw.yaml",
      "--empty",
      "-o",
      "markdown",
      "--graph",
    ]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain("```mermaid\n%% netplan-k graph of hostgw-demo: host-gw\n");
    expect(run.stdout).toContain('h0 ---|"direct (new)"| h1');
  });

  it("refuses other formats", async () => {
    const run = await runCli(["plan", "examples/host-gw.yaml", "--empty", "--graph"]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toBe(
      "netplan-k: --graph draws into the markdown plan only\n  hint: Add -o markdown, or draw the topology with `netplan-k graph`.",
    );
  });
});
