import { execa } from "execa";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLI, ROOT } from "./run-cli.js";

/**
 * Runs the built CLI with stdout (or stderr) on a real pipe whose reader has already exited,
 * so that its first write fails with EPIPE every time, not only when the scheduler says so.
 * bash waits for the process substitution's reader (`true`) before starting netplan-k.
 * Prints what netplan-k wrote to the other stream, then its exit status on the last line.
 */
async function runIntoClosedPipe(
  stream: "stdout" | "stderr",
  args: readonly string[],
): Promise<{ readonly status: number; readonly otherStream: string }> {
  const redirect = stream === "stdout" ? ">&3 2>&1" : "2>&3 >/dev/null";
  const script = `exec 3> >(exec true); wait $!; node "$0" "$@" ${redirect}; echo "status=$?"`;
  const result = await execa("bash", ["-c", script, CLI, ...args], {
    cwd: ROOT,
    reject: false,
    env: { NO_COLOR: "1" },
  });
  const match = /status=(\d+)\s*$/.exec(result.stdout);
  expect(match, result.stdout + result.stderr).not.toBeNull();
  return {
    status: Number(match?.[1]),
    otherStream: result.stdout.replace(/status=\d+\s*$/, "") + result.stderr,
  };
}

const BAD = "test/topology/bad/01-yaml-tab-indent.yaml";

describe("output into a closed pipe ends quietly (c11)", () => {
  it.each([
    [["validate", "examples/vxlan.yaml"]],
    [["plan", "examples/vxlan.yaml", "--empty"]],
    [["plan", "examples/vxlan.yaml", "--empty", "-o", "json"]],
    [["plan", "examples/vxlan.yaml", "--empty", "-o", "markdown"]],
    [["schema"]],
  ])("stdout of %j: no stack trace, exit 141 as for SIGPIPE", async (args) => {
    const run = await runIntoClosedPipe("stdout", args);
    expect(run.otherStream).toBe("");
    expect(run.status).toBe(141);
  });

  it.each([
    [["validate", BAD]],
    [["plan", BAD, "--empty"]],
    [["plan", "examples/vxlan.yaml", "--state", "no/such/snapshot.json"]],
  ])("stderr of %j: no stack trace, still exit 1 for the failure", async (args) => {
    const run = await runIntoClosedPipe("stderr", args);
    expect(run.otherStream).toBe("");
    expect(run.status).toBe(1);
  });

  it("stderr of a plan that succeeds (it says where it saved the plan): exit 141", async () => {
    const saved = join(mkdtempSync(join(tmpdir(), "netplan-k-pipe-")), "plan.json");
    try {
      const run = await runIntoClosedPipe("stderr", [
        "plan",
        "examples/vxlan.yaml",
        "--empty",
        "--out",
        saved,
      ]);
      expect(run.otherStream).toBe("");
      expect(run.status).toBe(141);
      expect(JSON.parse(readFileSync(saved, "utf8"))).toHaveProperty("formatVersion");
    } finally {
      rmSync(dirname(saved), { recursive: true, force: true });
    }
  });

  it("netplan-k validate examples/vxlan.yaml | head -1 prints one line and nothing else", async () => {
    const result = await execa(
      "bash",
      ["-c", 'set -o pipefail; node "$0" validate examples/vxlan.yaml | head -1', CLI],
      { cwd: ROOT, reject: false, env: { NO_COLOR: "1" } },
    );
    expect(result.stdout.split("\n")).toHaveLength(1);
    expect(result.stderr).toBe("");
    // Whether head exited before netplan-k's last write is up to the scheduler.
    expect([0, 141]).toContain(result.exitCode);
  });
});
