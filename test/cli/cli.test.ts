import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCliInProcess } from "../../src/cli/main.js";
import { runCli } from "./run-cli.js";

// Cases that check parsing and rendering run the CLI's entry in this process
// (runCliInProcess: same argv, captured output and exit status), which spares a node start per
// case; the cases marked "the real binary" spawn dist/cli/main.js, as a user runs it.

const scratch = mkdtempSync(join(tmpdir(), "netplan-k-cli-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("validate", () => {
  const corpus = readdirSync("test/topology/bad").filter((f) => f.endsWith(".yaml"));

  it("has the bad-topology corpus to run", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(60);
  });

  // Every bad topology: exit 1, the expected file:line:column on stderr, never a stack trace.
  it.each(corpus)("rejects test/topology/bad/%s", async (name) => {
    const file = `test/topology/bad/${name}`;
    const expectLine = readFileSync(file, "utf8").split("\n")[0] ?? "";
    const match = /^# expect: (\d+:\d+): (.*)$/.exec(expectLine);
    expect(match, `${file} must start with "# expect: LINE:COL: fragment"`).not.toBeNull();
    const run = await runCliInProcess(["validate", file]);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(`${file}:${match?.[1]}: `);
    expect(run.stderr).toContain(match?.[2]);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it("reports a missing file plainly (the real binary)", async () => {
    const run = await runCli(["validate", "no/such/topology.yaml"]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain("no/such/topology.yaml");
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("plan", () => {
  it("refuses an invalid topology before anything else", async () => {
    const run = await runCliInProcess([
      "plan",
      "test/topology/bad/" + readdirSync("test/topology/bad")[0],
      "--empty",
    ]);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("nothing was contacted");
  });

  it("refuses --state together with --empty", async () => {
    const run = await runCliInProcess([
      "plan",
      "examples/vxlan.yaml",
      "--empty",
      "--state",
      "x.json",
    ]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain("--state and --empty exclude each other");
  });

  it("refuses a missing snapshot file plainly", async () => {
    const run = await runCliInProcess([
      "plan",
      "examples/vxlan.yaml",
      "--state",
      join(scratch, "none.json"),
    ]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain("cannot read");
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it("limits the plan to named hosts and rejects unknown names", async () => {
    const limited = await runCliInProcess([
      "plan",
      "examples/vxlan.yaml",
      "--empty",
      "--limit",
      "node-2",
      "-o",
      "json",
    ]);
    expect(limited.exitCode).toBe(0);
    expect(JSON.parse(limited.stdout).hosts.map((h: { host: string }) => h.host)).toEqual([
      "node-2",
    ]);
    const unknown = await runCliInProcess([
      "plan",
      "examples/vxlan.yaml",
      "--empty",
      "--limit",
      "node-9",
    ]);
    expect(unknown.exitCode).toBe(1);
    expect(unknown.stderr).toContain("node-9");
    expect(unknown.stderr).toContain("node-1, node-2, node-3");
  });

  it("saves the JSON plan with --out, equal to -o json", async () => {
    const out = join(scratch, "plan.json");
    const run = await runCliInProcess(["plan", "examples/host-gw.yaml", "--empty", "--out", out]);
    expect(run.exitCode).toBe(0);
    const json = await runCliInProcess(["plan", "examples/host-gw.yaml", "--empty", "-o", "json"]);
    expect(readFileSync(out, "utf8").trim()).toBe(json.stdout.trim());
    expect(JSON.parse(json.stdout).formatVersion).toBe(1);
  });

  it("rejects an unknown output format", async () => {
    const run = await runCliInProcess(["plan", "examples/vxlan.yaml", "--empty", "-o", "yaml"]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain("text, json, markdown");
  });

  it("checks a snapshot's preconditions: c08's node-2 lost its underlay address", async () => {
    const run = await runCliInProcess([
      "plan",
      "test/fixtures/real-hosts/c08-underlay-address-missing.yaml",
      "--state",
      "test/fixtures/real-hosts/c08-state-underlay-address-gone.json",
      "--detailed-exitcode",
    ]);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(
      "✗ error: node-2: the underlay interface eth0 holds no IPv4 address, but the topology gives it 192.0.2.32/24",
    );
    expect(run.stdout).not.toContain("No changes. Every host matches the topology.");
    expect(run.stdout).not.toMatch(/No changes on .*node-2/);
  });

  it("teaches in --help (the real binary)", async () => {
    const run = await runCli(["plan", "--help"]);
    expect(run.exitCode).toBe(0);
    for (const flag of [
      "--state",
      "--empty",
      "--detailed-exitcode",
      "--limit",
      "--out",
      "markdown",
    ]) {
      expect(run.stdout).toContain(flag);
    }
    expect(run.stdout).toContain("Examples:");
  });
});

it.each(["validate", "plan", "apply", "verify", "graph", "observe", "schema", "unlock"])(
  "%s --help says what the command does and shows examples",
  async (command) => {
    const run = await runCliInProcess([command, "--help"]);
    expect(run.exitCode).toBe(0);
    const [usage, description] = run.stdout.split("\n\n");
    expect(usage).toMatch(new RegExp(`^Usage: netplan-k ${command} `));
    expect(description).not.toMatch(/^(Options|Arguments):/);
    expect(run.stdout).toMatch(/\nExamples:\n {2}netplan-k /);
  },
);

it.each(["up", "down", "status"])("lab %s --help says what it does", async (command) => {
  const run = await runCliInProcess(["lab", command, "--help"]);
  expect(run.exitCode).toBe(0);
  const [usage, description] = run.stdout.split("\n\n");
  expect(usage).toMatch(new RegExp(`^Usage: netplan-k lab ${command} `));
  expect(description).not.toMatch(/^(Options|Arguments):/);
});

describe("schema", () => {
  it("prints the schema file's content", async () => {
    const run = await runCliInProcess(["schema"]);
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(
      JSON.parse(readFileSync("schemas/topology.schema.json", "utf8")),
    );
  });
});

it("exits 1 on an unknown command (the real binary)", async () => {
  const run = await runCli(["frobnicate"]);
  expect(run.exitCode).toBe(1);
});
