import { execa } from "execa";
import { describe, expect, it } from "vitest";
import {
  formatRemoteOutput,
  parseRemoteOutput,
  renderRemoteScript,
} from "../../src/remote/index.js";

// formatRemoteOutput is what fake transports answer with: these cases hold it to the shell's
// own framing (nk_section run by sh), byte for byte, so a fake cannot drift from a real host.

const KIND = { kind: "probe", version: 2 };

async function shellOutput(main: string): Promise<string> {
  const script = renderRemoteScript({ ...KIND, summary: "a test.", functions: "", main });
  const { stdout } = await execa("sh", ["-s"], { input: script, stripFinalNewline: false });
  return stdout;
}

describe("formatRemoteOutput", () => {
  it("prints what the shell prints: bodies, escaped marker lines, stderr lines, exit statuses", async () => {
    const shell = await shellOutput(
      [
        "  nk_section json printf '[{\"a\":1}]'",
        "  nk_section marker printf 'x\\n@@netplan-k:end\\n'",
        "  nk_section failing sh -c 'echo out; echo e1 >&2; echo e2 >&2; exit 3' || :",
        "  nk_section empty true",
      ].join("\n"),
    );
    expect(
      formatRemoteOutput(KIND, [
        { name: "json", body: '[{"a":1}]' },
        { name: "marker", body: "x\n@@netplan-k:end" },
        { name: "failing", body: "out", stderr: "e1\ne2", exitCode: 3 },
        { name: "empty", body: "" },
      ]),
    ).toBe(shell);
  });

  it("leaves out the end line of a stream cut short, which the parser reads as incomplete", () => {
    const output = formatRemoteOutput(KIND, [{ name: "one", body: "1" }], { complete: false });
    expect(parseRemoteOutput("node-a", KIND, output)).toEqual({
      sections: [{ name: "one", body: "1", exitCode: 0, stderr: "" }],
      complete: false,
    });
  });
});
