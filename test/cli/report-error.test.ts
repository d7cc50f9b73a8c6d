import { describe, expect, it } from "vitest";
import { CliError } from "../../src/cli/cli-error.js";
import { EXIT_ERROR, exitCodeOfError } from "../../src/cli/exit-codes.js";
import { debugLines, errorLines, jsonErrorOf } from "../../src/cli/report-error.js";
import { LabError } from "../../src/lab/lab-error.js";
import { TransportError } from "../../src/transport/transport-error.js";

const root = Object.assign(new Error("spawn ssh ENOENT"), { code: "ENOENT", syscall: "spawn ssh" });
const unreachable = new TransportError("transport.spawn-failed", "node-1", "cannot start ssh", {
  cause: root,
});
const stale = new CliError("saved plan is stale", 'run "netplan-k plan" again', {
  code: "plan.stale",
  cause: unreachable,
});

describe("errorLines", () => {
  it("shows the message and the hint, and no cause without --debug", () => {
    expect(errorLines(stale, false)).toEqual([
      "netplan-k: saved plan is stale",
      '  hint: run "netplan-k plan" again',
    ]);
    expect(errorLines(new LabError("lab ye-1 is not built"), false)).toEqual([
      "netplan-k: lab ye-1 is not built",
    ]);
  });

  it("with --debug adds every cause, outermost first", () => {
    const lines = errorLines(stale, true);
    expect(lines.slice(0, 2)).toEqual([
      "netplan-k: saved plan is stale",
      '  hint: run "netplan-k plan" again',
    ]);
    expect(lines[2]).toMatch(/^CliError: saved plan is stale\n\s+at /);
    expect(lines[3]).toMatch(/^caused by: TransportError: node-1: cannot start ssh\n\s+at /);
    expect(lines[4]).toMatch(/^caused by: Error: spawn ssh ENOENT\n\s+at /);
    expect(lines).toHaveLength(5);
    expect(debugLines(root)).toHaveLength(1);
  });

  it("reports a bug as internal, with the stack only under --debug", () => {
    const bug = new TypeError("x is undefined");
    expect(errorLines(bug, false)).toEqual([
      "netplan-k: internal error: x is undefined",
      "  Run again with --debug for the stack, and report it.",
    ]);
    expect(errorLines(bug, true)[1]).toMatch(/^TypeError: x is undefined\n\s+at /);
  });
});

describe("jsonErrorOf", () => {
  it("gives the error's code, message and remedy as hint", () => {
    expect(jsonErrorOf(stale)).toEqual({
      code: "plan.stale",
      message: "saved plan is stale",
      hint: 'run "netplan-k plan" again',
    });
    expect(jsonErrorOf(unreachable)).toEqual({
      code: "transport.spawn-failed",
      message: "node-1: cannot start ssh",
    });
  });

  it("keeps a system error's errno code, and calls anything else internal", () => {
    expect(jsonErrorOf(root)).toEqual({ code: "ENOENT", message: "spawn ssh ENOENT" });
    expect(jsonErrorOf(new Error("boom"))).toEqual({
      code: "internal.bug",
      message: "internal error: boom",
      hint: "Run again with --debug for the stack, and report it.",
    });
  });
});

describe("exitCodeOfError", () => {
  it("exits 1 for every error, netplan-k's or not", () => {
    expect(exitCodeOfError(stale)).toBe(EXIT_ERROR);
    expect(exitCodeOfError(unreachable)).toBe(EXIT_ERROR);
    expect(exitCodeOfError(new Error("boom"))).toBe(EXIT_ERROR);
    expect(exitCodeOfError(undefined)).toBe(EXIT_ERROR);
  });
});
