import { describe, expect, it } from "vitest";
import type { ConvergeResult } from "../../src/applier/index.js";
import { textConvergeView } from "../../src/cli/converge-view-text.js";
import type { Output } from "../../src/cli/output.js";
import type { Change } from "../../src/planner/plan.js";
import { runCli } from "./run-cli.js";

const change: Change = {
  kind: "sysctl",
  action: "update",
  key: "net.ipv4.ip_forward",
  reason: "sysctl net.ipv4.ip_forward: value 0 → 1",
  disruptive: false,
};

const result = (host: string, applied: readonly Change[]): ConvergeResult =>
  ({
    host,
    outcome: "converged",
    plan: { host, changes: applied, conflicts: [], errors: [], observedFingerprint: "" },
    applied,
    errors: [],
  }) as unknown as ConvergeResult;

describe("one vocabulary for plan, apply and destroy", () => {
  it("the closing line counts changes on the hosts that have any, as the plan's line does", async () => {
    const lines: string[] = [];
    const output: Output = {
      color: false,
      interactive: false,
      out: (text) => lines.push(text),
      err: () => undefined,
    };
    const view = textConvergeView("destroy", output);
    view.show({
      kind: "applied",
      results: [result("node-1", [change, change]), result("node-2", [])],
    } as never);
    await view.close();
    // "on 2 hosts" before: node-2 had nothing to do, and its plan line said "on 1 host".
    expect(lines).toEqual(["Destroy complete: 2 changes on 1 host, every host verified."]);
  });

  it("--help of plan, apply and destroy explains the counting once, and destroy takes no saved plan", async () => {
    for (const command of ["plan", "apply", "destroy"]) {
      const help = (await runCli([command, "--help"])).stdout;
      expect(help, command).toContain("Counting: a change is one line of the plan");
    }
    expect((await runCli(["destroy", "--help"])).stdout).not.toContain("saved plan");
  });
});
