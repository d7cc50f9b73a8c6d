import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";
import { planSourceOf } from "../../src/cli/topology-digest.js";
import { compileTopology } from "../../src/modes/compile.js";
import { modes } from "../../src/modes/registry.js";
import { planTopology } from "../../src/planner/plan-topology.js";
import { renderPlanJson } from "../../src/planner/render-json.js";
import { loadTopologyFile } from "../../src/topology/load-topology.js";

// With -o json, stdout is JSON whatever happens: a plan, or {"errors": [...]} with stable codes.
const scratch = mkdtempSync(join(tmpdir(), "netplan-k-xg-json-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const write = (name: string, text: string): string => {
  const file = join(scratch, name);
  writeFileSync(file, text);
  return file;
};

const vxlan = readFileSync("examples/vxlan.yaml", "utf8");

describe("plan -o json", () => {
  it("carries the summary counts", async () => {
    const run = await runCli(["plan", "examples/vxlan.yaml", "--empty", "-o", "json"]);
    expect(run.exitCode).toBe(0);
    const plan = JSON.parse(run.stdout) as {
      summary: Record<string, number>;
      hosts: { changes: { action: string; createdWith?: string }[] }[];
    };
    const changes = plan.hosts.flatMap((h) => h.changes);
    // An update of an object the plan creates (a new namespace's lo) counts as an add.
    const created = changes.filter((c) => c.createdWith !== undefined);
    expect(created.length).toBeGreaterThan(0);
    expect(created.every((c) => c.action === "update")).toBe(true);
    expect(plan.summary).toEqual({
      add: changes.filter((c) => c.action === "create").length + created.length,
      change: changes.filter((c) => c.action === "update").length - created.length,
      replace: changes.filter((c) => c.action === "replace").length,
      destroy: changes.filter((c) => c.action === "delete").length,
      hosts: plan.hosts.length,
      conflicts: 0,
      errors: 0,
    });
    expect(plan.summary["add"]).toBeGreaterThan(0);
  });

  it("written host by host, stdout and --out are the JSON of the whole plan, byte for byte", async () => {
    const file = "examples/vxlan.yaml";
    const saved = join(scratch, "whole.json");
    const run = await runCli(["plan", file, "--empty", "-o", "json", "--out", saved]);
    expect(run.exitCode).toBe(0);
    const loaded = await loadTopologyFile(file, modes);
    if (!loaded.ok) throw new Error(`${file} does not load`);
    const desired = compileTopology(loaded.topology);
    const whole = planTopology({ desired, observed: "empty", against: "empty" });
    const expected = renderPlanJson({ ...whole, source: await planSourceOf(file) });
    expect(run.stdout + "\n").toBe(expected);
    expect(readFileSync(saved, "utf8")).toBe(expected);
  });

  it("prints a schema error as JSON with its code and position", async () => {
    const file = write("mdoe.yaml", vxlan.replace("  mode: vxlan", "  mdoe: vxlan"));
    const run = await runCli(["plan", file, "-o", "json", "--empty"]);
    expect(run.exitCode).toBe(1);
    const line = vxlan.split("\n").indexOf("  mode: vxlan") + 1;
    expect(JSON.parse(run.stdout)).toEqual({
      errors: [
        {
          code: "topology.schema",
          file,
          line,
          column: 3,
          message: "cluster.mdoe is not a known field",
          hint: "did you mean mode?",
        },
      ],
    });
  });

  it("prints a syntax error and a semantic error with their own codes", async () => {
    const broken = write("tab.yaml", vxlan.replace("  mode: vxlan", "\tmode: vxlan"));
    const syntax = JSON.parse((await runCli(["plan", broken, "-o", "json", "--empty"])).stdout);
    expect(syntax.errors.map((e: { code: string }) => e.code)).toEqual(["topology.syntax"]);
    const outside = write(
      "outside.yaml",
      vxlan.replace("podCidr: 10.1.16.0/24", "podCidr: 10.99.1.0/24"),
    );
    const semantic = JSON.parse((await runCli(["plan", outside, "-o", "json", "--empty"])).stdout);
    expect(semantic.errors[0]).toMatchObject({
      code: "topology.semantic",
      message: "hosts[1].podCidr 10.99.1.0/24 is outside cluster.cidr 10.1.0.0/16",
      hint: expect.stringContaining("such as"),
    });
  });

  it("prints a missing file as JSON", async () => {
    const run = await runCli(["plan", join(scratch, "nu-lba.yaml"), "-o", "json"]);
    expect(run.exitCode).toBe(1);
    expect(JSON.parse(run.stdout).errors[0]).toMatchObject({
      code: "topology.unreadable",
      message: "cannot read the topology: no such file",
    });
  });

  it("prints a usage error as JSON", async () => {
    const run = await runCli([
      "plan",
      "examples/vxlan.yaml",
      "-o",
      "json",
      "--empty",
      "--state",
      "x",
    ]);
    expect(run.exitCode).toBe(1);
    expect(JSON.parse(run.stdout)).toEqual({
      errors: [
        {
          code: "cli.usage",
          message: "--state and --empty exclude each other",
          hint: "Plan against a snapshot or against empty hosts, not both.",
        },
      ],
    });
  });

  it("prints an unreadable snapshot as JSON", async () => {
    const run = await runCli([
      "plan",
      "examples/vxlan.yaml",
      "-o",
      "json",
      "--state",
      join(scratch, "none.json"),
    ]);
    expect(run.exitCode).toBe(1);
    expect(JSON.parse(run.stdout).errors[0]).toMatchObject({ code: "cli.input" });
  });
});

describe("text output keeps errors on stderr", () => {
  it("prints nothing on stdout for an invalid topology", async () => {
    const file = write("mdoe-text.yaml", vxlan.replace("  mode: vxlan", "  mdoe: vxlan"));
    const run = await runCli(["plan", file, "--empty"]);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("cluster.mdoe is not a known field\n  hint: did you mean mode?");
  });
});
