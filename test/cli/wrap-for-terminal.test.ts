import { describe, expect, it } from "vitest";
import { wrapForTerminal } from "../../src/cli/wrap-for-terminal.js";

const width = (line: string) => [...line.replace(/\x1b\[\d+m/g, "")].length;

// A change line of a real vxlan plan (examples/lab-vxlan.yaml, 133 columns).
const vxlan =
  "  + link flannel.1 type vxlan id 1 local 192.0.2.81 dev eth0 dstport 8472 nolearning mtu 1450 address 5a:f2:07:21:db:a0 up  (missing)";

describe("wrapForTerminal", () => {
  it("leaves lines that fit byte for byte", () => {
    const text = "node-1:\n  + netns red  (missing)\n\nPlan: 1 to add.";
    expect(wrapForTerminal(text, 80)).toBe(text);
  });

  it("wraps a long line at spaces, continuations four columns deeper", () => {
    expect(wrapForTerminal(vxlan, 80).split("\n")).toEqual([
      "  + link flannel.1 type vxlan id 1 local 192.0.2.81 dev eth0 dstport 8472",
      "      nolearning mtu 1450 address 5a:f2:07:21:db:a0 up  (missing)",
    ]);
  });

  it("fits every line, even a word longer than the terminal, colours included", () => {
    const coloured = `\x1b[32m${vxlan}\x1b[0m\n${"x".repeat(200)}`;
    const lines = wrapForTerminal(coloured, 60).split("\n");
    expect(Math.max(...lines.map(width))).toBeLessThanOrEqual(60);
    expect(
      lines
        .join("")
        .replace(/\x1b\[\d+m/g, "")
        .replace(/ /g, ""),
    ).toBe((vxlan + "x".repeat(200)).replace(/ /g, ""));
  });

  it("does not wrap into a column too narrow to read", () => {
    expect(wrapForTerminal(vxlan, 20)).toBe(vxlan);
  });
});
