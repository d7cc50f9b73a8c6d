import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runCli } from "../cli/run-cli.js";

// Golden plans: every example planned against empty hosts, as text and as JSON. A change in
// the compiler, the planner or a renderer shows here as a diff; accept it with `npx vitest -u`.
const examples = readdirSync("examples").filter((f) => f.endsWith(".yaml"));

describe.each(examples)("examples/%s", (example) => {
  const name = example.replace(/\.yaml$/, "");

  it("validates", async () => {
    const run = await runCli(["validate", `examples/${example}`]);
    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(0);
    await expect(run.stdout + "\n").toMatchFileSnapshot(`./${name}/validate.txt`);
  });

  it("plans against empty hosts (text)", async () => {
    const run = await runCli(["plan", `examples/${example}`, "--empty", "--detailed-exitcode"]);
    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(2);
    await expect(run.stdout + "\n").toMatchFileSnapshot(`./${name}/plan.txt`);
  });

  it("plans against empty hosts (json)", async () => {
    const run = await runCli(["plan", `examples/${example}`, "--empty", "-o", "json"]);
    expect(run.exitCode).toBe(0);
    await expect(run.stdout + "\n").toMatchFileSnapshot(`./${name}/plan.json`);
  });

  it("plans against empty hosts (markdown)", async () => {
    const run = await runCli(["plan", `examples/${example}`, "--empty", "-o", "markdown"]);
    expect(run.exitCode).toBe(0);
    await expect(run.stdout + "\n").toMatchFileSnapshot(`./${name}/plan.md`);
  });
});

it("covers every example", () => {
  expect(examples.sort()).toEqual([
    "bgp-reflectors.yaml",
    "host-gw.yaml",
    "ipip-cross-subnet.yaml",
    "lab-bgp.yaml",
    "lab-dual-stack.yaml",
    "lab-ipip.yaml",
    "lab-ipv6-bgp.yaml",
    "lab-vxlan-direct.yaml",
    "lab-vxlan.yaml",
    "vxlan.yaml",
  ]);
});
