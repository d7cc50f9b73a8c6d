import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { parseRemoteOutput, renderRemoteScript, type LockSection } from "../../src/remote/index.js";

// The lock section of the one framing: run as a section like any other, first or last, and
// handed back by the parser apart from the script's own sections.

const KIND = { kind: "probe", version: 1 };
const MAIN = "  nk_section own echo ran";

async function run(lock: LockSection): Promise<{ stdout: string; exitCode: number }> {
  const script = renderRemoteScript({
    ...KIND,
    summary: "a test.",
    functions: "",
    main: MAIN,
    lock,
  });
  const { stdout, exitCode } = await execa("sh", ["-s"], {
    input: script,
    reject: false,
    stripFinalNewline: false,
  });
  return { stdout, exitCode: exitCode ?? -1 };
}

const guard = (body: string, status: number, at: LockSection["at"]): LockSection => ({
  functions: `nk_guard() {\n  printf '${body}\\n'\n  echo why >&2\n  return ${status}\n}`,
  command: "nk_guard",
  at,
});

describe("the lock section", () => {
  it("runs first, and the script's sections follow when it succeeds", async () => {
    const { stdout, exitCode } = await run(guard("taken", 0, "first"));
    expect(exitCode).toBe(0);
    expect(parseRemoteOutput("node-a", KIND, stdout)).toEqual({
      sections: [{ name: "own", body: "ran", exitCode: 0, stderr: "" }],
      lock: { name: "lock", body: "taken", exitCode: 0, stderr: "why" },
      complete: true,
    });
  });

  it("stops the script before its own sections when it fails first, exiting with its status", async () => {
    const { stdout, exitCode } = await run(guard("held\\nrun=abc", 75, "first"));
    expect(exitCode).toBe(75);
    expect(parseRemoteOutput("node-a", KIND, stdout)).toEqual({
      sections: [],
      lock: { name: "lock", body: "held\nrun=abc", exitCode: 75, stderr: "why" },
      complete: true,
    });
  });

  it("runs last after the script's sections, leaving the script's exit status", async () => {
    const { stdout, exitCode } = await run(guard("released", 1, "last"));
    expect(exitCode).toBe(0);
    const lines = stdout.trim().split("\n");
    expect(lines.indexOf("@@netplan-k:section:lock")).toBeGreaterThan(
      lines.indexOf("@@netplan-k:section:own"),
    );
    expect(parseRemoteOutput("node-a", KIND, stdout).lock?.body).toBe("released");
  });

  it("leaves a script without a lock byte for byte as it was", () => {
    const script = renderRemoteScript({
      ...KIND,
      summary: "x.",
      functions: "f() { :; }",
      main: MAIN,
    });
    expect(script).toContain(
      `f() { :; }\n\nnk_main() {\n  printf '@@netplan-k:probe:1\\n'\n${MAIN}\n  printf '@@netplan-k:end\\n'`,
    );
    expect(script).not.toContain("section lock");
  });
});
