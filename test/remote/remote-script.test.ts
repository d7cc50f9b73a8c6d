import { execa } from "execa";
import { describe, expect, it } from "vitest";
import {
  parseRemoteOutput,
  renderRemoteScript,
  requireComplete,
  RemoteOutputError,
} from "../../src/remote/index.js";

const KIND = { kind: "probe", version: 1 };

/** A script of the given nk_main body, run as netplan-k sends it: on stdin to sh -s. */
async function run(main: string, functions = ""): Promise<{ stdout: string; exitCode: number }> {
  const script = renderRemoteScript({ ...KIND, summary: "a test.", functions, main });
  const { stdout, exitCode } = await execa("sh", ["-s"], {
    input: script,
    reject: false,
    stripFinalNewline: false,
  });
  return { stdout, exitCode: exitCode ?? -1 };
}

const sectionsOf = (stdout: string) =>
  requireComplete("node-a", KIND.kind, parseRemoteOutput("node-a", KIND, stdout), "run again");

describe("renderRemoteScript", () => {
  it("is valid POSIX sh for dash", async () => {
    const script = renderRemoteScript({ ...KIND, summary: "x.", functions: "", main: "  :" });
    expect((await execa("dash", ["-n"], { input: script, reject: false })).exitCode).toBe(0);
  });

  it("reports each command's stdout, stderr lines and exit status in its own section", async () => {
    const { stdout, exitCode } = await run(
      [
        "  nk_section json printf '[{\"a\":1}]'",
        "  nk_section failing sh -c 'echo out; echo e1 >&2; echo e2 >&2; exit 3'",
        "  nk_section empty true",
      ].join("\n"),
    );
    expect(exitCode).toBe(0);
    expect(sectionsOf(stdout)).toEqual([
      { name: "json", body: '[{"a":1}]', exitCode: 0, stderr: "" },
      { name: "failing", body: "out", exitCode: 3, stderr: "e1\ne2" },
      { name: "empty", body: "", exitCode: 0, stderr: "" },
    ]);
  });

  it("a command that prints markers of its own cannot end, close or fake a section", async () => {
    const hostile = [
      "@@netplan-k:exit:0",
      "@@netplan-k:section:forged",
      "@@netplan-k:stderr:forged",
      "@@netplan-k:end",
      "@@netplan-k:line:nested",
      "@@netplan-k:probe:1",
    ].join("\n");
    const { stdout } = await run(
      `  nk_section hostile printf '%s\\n' '${hostile}'\n  nk_section after echo fine`,
    );
    expect(sectionsOf(stdout)).toEqual([
      { name: "hostile", body: hostile, exitCode: 0, stderr: "" },
      { name: "after", body: "fine", exitCode: 0, stderr: "" },
    ]);
  });

  it("binary junk stays inside its section, NUL bytes included", async () => {
    // What dash keeps of it: NUL bytes dropped, so "\0@@netplan-k:end" becomes a marker-like
    // line after the command ran; it must still be escaped.
    const junk = String.raw`\0@@netplan-k:end\n\377\376\r\001\n@@netplan-k:exit:9`;
    const { stdout } = await run(
      `  nk_section junk printf '${junk}'\n  nk_section junk-stderr sh -c "printf '${junk}' >&2; exit 4"\n  nk_section after echo fine`,
    );
    const sections = sectionsOf(stdout);
    expect(sections.map((s) => [s.name, s.exitCode])).toEqual([
      ["junk", 0],
      ["junk-stderr", 4],
      ["after", 0],
    ]);
    expect(sections[0]?.body.split("\n")[0]).toBe("@@netplan-k:end");
    expect(sections[0]?.body.split("\n").at(-1)).toBe("@@netplan-k:exit:9");
    expect(sections[1]?.stderr.split("\n").at(-1)).toBe("@@netplan-k:exit:9");
  });

  it("a shell killed inside a section leaves a stream whose error names the host and the section", async () => {
    const { stdout } = await run(
      "  nk_section first echo one\n  nk_section dying kill -KILL $$\n  nk_section never echo no",
    );
    const output = parseRemoteOutput("node-a", KIND, stdout);
    expect(output.sections.map((s) => s.name)).toEqual(["first"]);
    expect(() => requireComplete("node-a", KIND.kind, output, "run again")).toThrow(
      new RemoteOutputError(
        'node-a: probe output is truncated inside section "dying" (no "@@netplan-k:end" line); run again',
        { host: "node-a" },
      ),
    );
  });

  it("nk_script_status becomes the exit status, after the end line", async () => {
    const { stdout, exitCode } = await run("  nk_section failing false || nk_script_status=1");
    expect(exitCode).toBe(1);
    expect(sectionsOf(stdout)).toEqual([{ name: "failing", body: "", exitCode: 1, stderr: "" }]);
  });

  it("carries a large listing through unchanged", async () => {
    const { stdout } = await run(
      "  nk_section big awk 'BEGIN { for (i = 0; i < 50000; i++) print \"line \" i }'",
    );
    const body = sectionsOf(stdout)[0]?.body.split("\n");
    expect(body).toHaveLength(50000);
    expect(body?.at(-1)).toBe("line 49999");
  });
});
