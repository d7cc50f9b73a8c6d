import { describe, expect, it } from "vitest";
import type { ConvergeResult } from "../../src/applier/index.js";
import { textConvergeView } from "../../src/cli/converge-view-text.js";
import type { Output } from "../../src/cli/output.js";

// --on-failure rollback-all: a host that converged and was then put back because another
// failed did not fail; the closing line counts it apart (before: "failed on 2 of 2 hosts").
// Nor did a host whose removals were held because another failed.

const result = (host: string, outcome: ConvergeResult["outcome"]): ConvergeResult =>
  ({
    host,
    outcome,
    plan: { host, changes: [], conflicts: [], errors: [], observedFingerprint: "" },
    applied: [],
    errors: [],
    roundTrips: 4,
    rollback: { state: "rolled-back", changes: 3, roundTrips: 3 },
  }) as unknown as ConvergeResult;

describe("the closing line of an apply that rolled back every host", () => {
  it("says failed on 1, rolled back 1", async () => {
    const lines: string[] = [];
    const output: Output = {
      color: false,
      interactive: false,
      out: (text) => lines.push(text),
      err: () => undefined,
    };
    const view = textConvergeView("apply", output);
    view.show({
      kind: "applied",
      results: [result("node-1", "rolled-back"), result("node-2", "failed")],
    });
    await view.close();
    expect(lines).toEqual(["Apply failed on 1 of 2 hosts, rolled back 1."]);
  });

  it("says why a held host kept its old objects, and counts it apart", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const view = textConvergeView("apply", {
      color: false,
      interactive: false,
      out: (text) => out.push(text),
      err: (text) => err.push(text),
    });
    // Neither host was rolled back (rollback-host): no rollback report.
    const { rollback: _held, ...held } = result("node-1", "held");
    const { rollback: _failed, ...failed } = result("node-2", "failed");
    view.show({
      kind: "applied",
      results: [{ ...held, held: { removals: 3, failed: ["node-2"] } }, failed],
    });
    await view.close();
    expect(err).toEqual([
      "node-1: removals held (3 deletes): node-2 failed before the remove phase, and its old paths may still use what they would delete; run apply again once node-2 is fixed",
    ]);
    expect(out).toEqual(["Apply failed on 1 of 2 hosts, removals held on 1."]);
  });
});
