import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PLAN_FORMAT_VERSION } from "../../src/planner/plan.js";
import { runCli } from "./run-cli.js";

const scratch = mkdtempSync(join(tmpdir(), "netplan-k-old-files-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const REAL = "test/fixtures/real-hosts";
const STACK = /\n\s+at /;

/** A file in the scratch folder with this text. */
function scratchFile(name: string, text: string): string {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
}

describe("formatVersion-1 snapshots from real use load and plan", () => {
  // Copied unedited from ../shared/cases/real-hosts/, with the topology each was observed for.
  it.each([
    ["c01-peer-underlay-renumbered.yaml", "c01-converged-before-renumbering.json"],
    ["c04-shared-tunl0-foreign-address.yaml", "c04-state-before-first-apply.json"],
    ["c04-shared-tunl0-foreign-address.yaml", "c04-state-converged.json"],
    ["c08-underlay-address-missing.yaml", "c08-state-underlay-address-gone.json"],
    ["c09-foreign-bridge-holds-block.yaml", "c09-state-foreign-block-overlap.json"],
  ])("plan %s --state %s", async (topology, snapshot) => {
    expect(JSON.parse(readFileSync(`${REAL}/${snapshot}`, "utf8")).formatVersion).toBe(1);
    const run = await runCli(["plan", `${REAL}/${topology}`, "--state", `${REAL}/${snapshot}`]);
    // What the plan says about these hosts is for the checks to decide; the file must load.
    expect(run.stderr).not.toContain("cannot read");
    expect(run.stderr).not.toContain(snapshot);
    expect(run.stderr).not.toMatch(STACK);
    expect(run.stdout).toMatch(/^node-1/m);
    expect(run.stdout).toMatch(/^node-2/m);
  });
});

describe("snapshots that cannot be read get one clear message", () => {
  const original = readFileSync(`${REAL}/c09-state-foreign-block-overlap.json`, "utf8");
  const topology = `${REAL}/c09-foreign-bridge-holds-block.yaml`;

  it("a snapshot from a newer netplan-k (formatVersion 99)", async () => {
    const future = { ...JSON.parse(original), formatVersion: 99, newField: { drivers: [] } };
    const file = scratchFile("future.json", JSON.stringify(future));
    const run = await runCli(["plan", topology, "--state", file]);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(
      `${file}: this snapshot was written by a newer netplan-k (format 99; this one reads format 1)`,
    );
    expect(run.stderr).not.toMatch(STACK);
  });

  it("a snapshot cut short", async () => {
    const file = scratchFile("truncated.json", original.slice(0, 4000));
    const run = await runCli(["plan", topology, "--state", file]);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(`${file}: cannot read the snapshot: the file ends before`);
    expect(run.stderr).toContain("hint: Make the snapshot with `netplan-k observe");
    expect(run.stderr).not.toMatch(STACK);
  });
});

describe("saved plans", () => {
  const saved = "test/fixtures/saved-plans/vxlan-empty-format-1.json";

  it("a plan saved in format 1 loads, or is refused as older with a message to plan again", async () => {
    const run = await runCli(["apply", saved]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).not.toMatch(STACK);
    // It was made against empty hosts: reading it is what this test is about.
    expect(run.stderr).toContain(
      PLAN_FORMAT_VERSION === 1
        ? "was planned against empty hosts, so it cannot be applied"
        : `this saved plan was written by an older netplan-k (format 1; this one reads format ${PLAN_FORMAT_VERSION}): make it again with this one`,
    );
  });

  it("a plan from a newer netplan-k, and a plan cut short", async () => {
    const text = readFileSync(saved, "utf8");
    const future = scratchFile(
      "future-plan.json",
      text.replace('"formatVersion": 1', '"formatVersion": 99'),
    );
    const newer = await runCli(["apply", future]);
    expect(newer.exitCode).toBe(1);
    expect(newer.stderr).toContain(
      `${future}: this saved plan was written by a newer netplan-k (format 99; this one reads format ${PLAN_FORMAT_VERSION})`,
    );
    const cut = scratchFile("cut-plan.json", text.slice(0, text.length - 20));
    const short = await runCli(["apply", cut]);
    expect(short.exitCode).toBe(1);
    expect(short.stderr).toContain(`${cut}: cannot read the saved plan: the file ends before`);
    for (const run of [newer, short]) expect(run.stderr).not.toMatch(STACK);
  });
});
