import { describe, expect, it } from "vitest";
import {
  parseRemoteOutput,
  RemoteOutputError,
  requireComplete,
  type RemoteOutput,
} from "../../src/remote/index.js";

const KIND = { kind: "probe", version: 3 };
const parse = (output: string): RemoteOutput => parseRemoteOutput("node-a", KIND, output);
const lines = (...text: string[]): string => `${text.join("\n")}\n`;

/** The message parseRemoteOutput (then requireComplete) throws for this output. */
function errorOf(output: string): string {
  try {
    requireComplete("node-a", KIND.kind, parse(output), "probe again");
  } catch (error) {
    expect(error).toBeInstanceOf(RemoteOutputError);
    return (error as Error).message;
  }
  throw new Error("the output was accepted");
}

describe("parseRemoteOutput", () => {
  it("reads sections in order with body, stderr lines and exit status", () => {
    const output = lines(
      "@@netplan-k:probe:3",
      "@@netplan-k:section:one",
      '[{"a":1}]',
      "@@netplan-k:exit:0",
      "@@netplan-k:section:two:red",
      "first",
      "second",
      "@@netplan-k:stderr:warning: one ",
      "@@netplan-k:stderr:error: two",
      "@@netplan-k:exit:2",
      "@@netplan-k:end",
    );
    expect(parse(output)).toEqual({
      sections: [
        { name: "one", body: '[{"a":1}]', exitCode: 0, stderr: "" },
        {
          name: "two:red",
          body: "first\nsecond",
          exitCode: 2,
          stderr: "warning: one\nerror: two",
        },
      ],
      complete: true,
    });
  });

  it("reads a line: marker as a body line, whatever it holds", () => {
    const output = lines(
      "@@netplan-k:probe:3",
      "@@netplan-k:section:echo",
      "@@netplan-k:line:@@netplan-k:end",
      "@@netplan-k:line:@@netplan-k:exit:0",
      "@@netplan-k:line:@@netplan-k:line:x",
      "@@netplan-k:exit:0",
      "@@netplan-k:end",
    );
    expect(parse(output).sections[0]?.body).toBe(
      "@@netplan-k:end\n@@netplan-k:exit:0\n@@netplan-k:line:x",
    );
  });

  it("skips a login banner, and keeps junk bytes inside a body as they came", () => {
    const junk = "\u0001\ufffd\ufffd\r\t@@netplan-k:end \u007f";
    const output = lines(
      "Welcome to node-a",
      "@@netplan-k:section:fake-before-begin",
      "@@netplan-k:probe:3",
      "@@netplan-k:section:junk",
      junk,
      "@@netplan-k:exit:0",
      "@@netplan-k:end",
    );
    expect(parse(output).sections).toEqual([
      { name: "junk", body: junk.trim(), exitCode: 0, stderr: "" },
    ]);
  });

  it("a stream cut short keeps the sections closed so far and names the open one", () => {
    const cut =
      "@@netplan-k:probe:3\n@@netplan-k:section:a\n\n@@netplan-k:exit:0\n@@netplan-k:section:b\n[{";
    expect(parse(cut)).toEqual({
      sections: [{ name: "a", body: "", exitCode: 0, stderr: "" }],
      complete: false,
      cutInside: "b",
    });
    expect(errorOf(cut)).toBe(
      'node-a: probe output is truncated inside section "b" (no "@@netplan-k:end" line); probe again',
    );
    expect(errorOf("@@netplan-k:probe:3\n@@netplan-k:section:a\n\n@@netplan-k:exit:0\n")).toBe(
      'node-a: probe output is truncated (no "@@netplan-k:end" line); probe again',
    );
    // The end line inside a section: the shell died between the body and its exit line.
    expect(errorOf("@@netplan-k:probe:3\n@@netplan-k:section:a\n@@netplan-k:end\n")).toMatch(
      /^node-a: probe output is truncated inside section "a"/,
    );
    // Nothing at all: cut before the first line.
    expect(parse("")).toEqual({ sections: [], complete: false });
  });

  it("refuses output that is not a script's, or of another format", () => {
    expect(errorOf("bash: sh: command not found\n")).toBe(
      `node-a: the output holds no probe (no "@@netplan-k:probe:" line); was it made by netplan-k's probe script?`,
    );
    expect(errorOf("@@netplan-k:probe:4\n@@netplan-k:end\n")).toBe(
      "node-a: probe format 4 is not supported (this netplan-k reads 3)",
    );
  });

  it("names the host and the section of a line that breaks the framing", () => {
    const begin = "@@netplan-k:probe:3\n@@netplan-k:section:a\n\n@@netplan-k:exit:0\n";
    expect(errorOf(`${begin}\u0000\u0001junk\n@@netplan-k:end\n`)).toBe(
      'node-a: line 5 of the probe output lies outside any section (after section "a")',
    );
    expect(errorOf("@@netplan-k:probe:3\nstray\n")).toBe(
      "node-a: line 2 of the probe output lies outside any section",
    );
    expect(errorOf(`${begin}@@netplan-k:section:b\n@@netplan-k:exit:x\n`)).toBe(
      'node-a: line 6 of the probe output is an unexpected marker inside section "b": @@netplan-k:exit:x',
    );
    expect(errorOf(`${begin}@@netplan-k:section:b\n@@netplan-k:section:c\n`)).toBe(
      'node-a: section "b" has no exit line before line 6 of the probe output',
    );
    expect(errorOf(`${begin}@@netplan-k:section:a\n\n@@netplan-k:exit:0\n@@netplan-k:end\n`)).toBe(
      'node-a: section "a" appears twice in the probe output',
    );
  });
});
