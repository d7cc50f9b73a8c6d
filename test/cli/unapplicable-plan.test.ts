import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";

const scratch = mkdtempSync(join(tmpdir(), "netplan-k-qu-unapplicable-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// c08: node-2's underlay lost its address, so the plan refuses node-2 (an error).
const refused = [
  "test/fixtures/real-hosts/c08-underlay-address-missing.yaml",
  "--state",
  "test/fixtures/real-hosts/c08-state-underlay-address-gone.json",
];

describe("a plan that cannot be applied", () => {
  it("is not saved by plan --out, and says so instead of 'apply it with'", async () => {
    const out = join(scratch, "refused.json");
    const run = await runCli(["plan", ...refused, "--out", out]);
    expect(run.exitCode).toBe(1);
    expect(existsSync(out)).toBe(false);
    expect(run.stderr).toContain(`Did not save the plan to ${out}: it cannot be applied.`);
    expect(run.stderr).not.toContain("netplan-k apply");
  });

  it("is refused by apply when saved otherwise (-o json), naming what blocks it", async () => {
    const json = await runCli(["plan", ...refused, "-o", "json"]);
    const file = join(scratch, "refused-json.json");
    writeFileSync(file, json.stdout);
    const run = await runCli(["apply", file]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(
      `${file} cannot be applied: it was saved with 1 error, and such a plan is never applied`,
    );
  });

  it("is explained in plan --help and apply --help", async () => {
    expect((await runCli(["plan", "--help"])).stdout).toMatch(
      /cannot be applied[^.]*is not\s+saved/,
    );
    expect((await runCli(["apply", "--help"])).stdout).toContain("holds conflicts or errors");
  });
});
