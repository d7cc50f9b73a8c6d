import { describe, expect, it } from "vitest";
import type { ConvergeResult } from "../../src/applier/index.js";
import { NetplanError } from "../../src/model/netplan-error.js";
import { textConvergeView } from "../../src/cli/converge-view-text.js";
import type { ConvergeRunEvent } from "../../src/cli/converge-view.js";
import type { Output } from "../../src/cli/output.js";

// The text view of an interrupted apply: where each host was left, and what running the same
// command again will do (issue 11, points 3 and 7).

async function stderrOf(events: readonly ConvergeRunEvent[]): Promise<string[]> {
  const err: string[] = [];
  const output: Output = {
    color: false,
    interactive: false,
    out: () => undefined,
    err: (text) => err.push(text),
  };
  const view = textConvergeView("apply", output);
  for (const event of events) view.show(event);
  await view.close();
  return err;
}

describe("textConvergeView: an interrupted run", () => {
  it("says a re-run finishes the work when no host was left with an armed revert", async () => {
    const err = await stderrOf([
      { kind: "interrupted", hosts: [{ host: "node-1", state: "built", applied: 6 }] },
    ]);
    expect(err[0]).toBe("apply interrupted; where each host was left:");
    expect(err[1]).toMatch(/^ {2}node-1: built \(6 changes ran\)/);
    expect(err.at(-1)).toBe("Run the same command again to finish: it recognises its own work.");
  });

  it("says nothing is left to finish when every host converged and none is left armed", async () => {
    const err = await stderrOf([
      {
        kind: "interrupted",
        hosts: [
          { host: "node-1", state: "converged", applied: 6 },
          { host: "node-2", state: "converged", applied: 0 },
        ],
      },
    ]);
    expect(err.at(-1)).toBe(
      "Every host converged before the run stopped: nothing is left to finish.",
    );
  });

  it("says a host with an armed revert refuses the re-run until it fired or is disarmed", async () => {
    const disarm = "netplan-k disarm t.yaml --limit node-1";
    const err = await stderrOf([
      {
        kind: "interrupted",
        hosts: [
          {
            host: "node-1",
            state: "built",
            applied: 6,
            armedRevert: { firesAtMs: Date.now() + 30_000, disarm },
          },
        ],
      },
    ]);
    expect(err[1]).toContain(`${disarm} keeps the change`);
    expect(err.at(-1)).toMatch(/refuses it until the revert has fired or is disarmed \(above\)\.$/);
  });
});

describe("textConvergeView: a host kept as it failed (--on-failure keep)", () => {
  it("counts only the steps that completed, and says the failing step may have run in part", async () => {
    const failing = new NetplanError(
      "apply.step-failed",
      "node-2: ip -batch failed at line 3 (route add …): Error: Nexthop has invalid gateway.",
      { host: "node-2" },
    );
    const kept: ConvergeResult = {
      host: "node-2",
      outcome: "failed",
      plan: { host: "node-2", changes: [], conflicts: [], errors: [], observedFingerprint: "0" },
      applied: [],
      roundTrips: 2,
      errors: [failing],
      rollback: { state: "kept", changes: 0, roundTrips: 0, kept: { ran: 0, planned: 3 } },
    };
    const err = await stderrOf([{ kind: "applied", results: [kept] }]);
    const said = err.find((line) => line.startsWith("node-2: kept as it failed"));
    expect(said).toBe(
      "node-2: kept as it failed (--on-failure keep): the host was left as it is; 0 of 3 " +
        "planned changes ran in the steps before the failing one, and that step (above) may " +
        'have applied its lines before the failing line; "netplan-k plan" shows what is left',
    );
  });
});
