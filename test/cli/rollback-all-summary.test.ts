import { describe, expect, it } from "vitest";
import type { ConvergeResult } from "../../src/applier/index.js";
import { textConvergeView } from "../../src/cli/converge-view-text.js";
import type { Output } from "../../src/cli/output.js";

// --on-failure rollback-all: a host that converged and was then put back because another
// failed did not fail; the closing line counts it apart (before: "failed on 2 of 2 hosts").

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
});
