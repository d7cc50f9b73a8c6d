import { describe, expect, it } from "vitest";
import { ApplierError } from "../../src/applier/applier-error.js";
import { CliError } from "../../src/cli/cli-error.js";
import { GraphError } from "../../src/graph/graph-error.js";
import { LabError } from "../../src/lab/lab-error.js";
import { FormatVersionError } from "../../src/model/format-version.js";
import { causeChain, NetplanError } from "../../src/model/netplan-error.js";
import { CompileError } from "../../src/modes/compile-error.js";
import { ObservationError } from "../../src/observe/observation-error.js";
import { PlanFileError } from "../../src/planner/parse-plan.js";
import { TransportError } from "../../src/transport/transport-error.js";
import { VerifyError } from "../../src/verify/verify-error.js";

describe("NetplanError", () => {
  it("is the one type of every error class, each with its published code", () => {
    const errors: [NetplanError, string][] = [
      [new ApplierError("apply.unsafe-value", "m"), "apply.unsafe-value"],
      [new CliError("m"), "cli.usage"],
      [new CliError("m", "r", { code: "plan.stale" }), "plan.stale"],
      [new GraphError("graph.incomplete-state", "m"), "graph.incomplete-state"],
      [new LabError("m"), "lab.failed"],
      [new FormatVersionError("m"), "file.unsupported-format"],
      [new CompileError("m"), "compile.duplicate-object"],
      [new ObservationError("m"), "observe.unreadable"],
      [new PlanFileError("m"), "plan.invalid-file"],
      [new TransportError("transport.unreachable", "node-1", "m"), "transport.unreachable"],
      [new VerifyError("verify.unreadable-output", "m"), "verify.unreadable-output"],
    ];
    for (const [error, code] of errors) {
      expect(error).toBeInstanceOf(NetplanError);
      expect(error.code).toBe(code);
    }
  });

  it("keeps the remedy and the cause", () => {
    const cause = new Error("EACCES");
    const error = new CliError("cannot read plan.json", "check its permissions", { cause });
    expect(error.remedy).toBe("check its permissions");
    expect(error.cause).toBe(cause);
    expect(new LabError("m").remedy).toBeUndefined();
    expect("cause" in new LabError("m")).toBe(false);
  });
});

describe("causeChain", () => {
  it("lists the causes outermost first, without the error itself", () => {
    const root = new Error("spawn ssh ENOENT");
    const middle = new TransportError("transport.spawn-failed", "node-1", "cannot start ssh", {
      cause: root,
    });
    const top = new NetplanError("plan.stale", "stale", { cause: middle });
    expect(causeChain(top)).toEqual([middle, root]);
    expect(causeChain(root)).toEqual([]);
  });

  it("stops at a cycle", () => {
    const a = new Error("a");
    const b = new Error("b", { cause: a });
    (a as { cause?: unknown }).cause = b;
    expect(causeChain(a)).toEqual([b]);
  });
});
