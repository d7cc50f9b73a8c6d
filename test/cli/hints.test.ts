import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";

const scratch = mkdtempSync(join(tmpdir(), "netplan-k-xg-hints-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("habits from other tools get the right verb", () => {
  it.each([
    [
      ["plan", "examples/vxlan.yaml", "--dry-run"],
      "unknown option '--dry-run'",
      "`plan` is the dry run",
    ],
    [["diff", "examples/vxlan.yaml"], "unknown command 'diff'", "`plan` shows the difference"],
    [["show"], "unknown command 'show'", "`plan` shows what would change"],
    [["apply", "examples/vxlan.yaml", "--yes"], "unknown option '--yes'", "--auto-approve"],
    [["plan", "examples/vxlan.yaml", "--json"], "unknown option '--json'", "-o json"],
  ])("netplan-k %j", async (args, error, hint) => {
    const run = await runCli(args);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(`error: ${error}\n  hint: ${hint}`);
  });

  it("an unknown word that is no habit gets commander's message alone", async () => {
    const run = await runCli(["plan", "examples/vxlan.yaml", "--frobnicate"]);
    expect(run.stderr).toContain("unknown option '--frobnicate'");
    expect(run.stderr).not.toContain("hint:");
  });
});

describe("a topology path that is not a file", () => {
  it("a mistyped name gets the closest YAML file beside it", async () => {
    const run = await runCli(["validate", "examples/lab-vxaln.yaml"]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(
      "examples/lab-vxaln.yaml:1:1: cannot read the topology: no such file\n" +
        "  hint: did you mean examples/lab-vxlan.yaml?",
    );
  });

  it("a name close to nothing says what a topology is", async () => {
    const run = await runCli(["validate", join(scratch, "nothing-like-it.yaml")]);
    expect(run.stderr).toContain(
      "cannot read the topology: no such file\n  hint: check the path; a topology is a YAML file (see examples/)",
    );
  });

  it("a directory lists the topology files inside it", async () => {
    writeFileSync(join(scratch, "a.yaml"), "");
    writeFileSync(join(scratch, "b.yml"), "");
    writeFileSync(join(scratch, "notes.txt"), "");
    const run = await runCli(["validate", scratch]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(
      `${scratch}:1:1: cannot read the topology: it is a directory\n` +
        `  hint: name one of its topology files: ${join(scratch, "a.yaml")}, ${join(scratch, "b.yml")}\n`,
    );
  });
});

it("apply --help says that a saved plan needs no --auto-approve", async () => {
  const run = await runCli(["apply", "--help"]);
  // Help text wraps at the option column, whose width depends on the longest option.
  expect(run.stdout.replace(/\s+/g, " ")).toContain("a saved plan is never asked about");
  expect(run.stdout).toContain(
    "A saved plan (plan --out) was reviewed when it was made: apply runs it without asking and\nwithout --auto-approve",
  );
});
