import { describe, expect, test } from "vitest";
import { formatDiagnostic } from "../../src/topology/diagnostic.js";
import { loadTopologyText } from "../../src/topology/load-topology.js";
import { modes } from "../../src/modes/registry.js";

/** A valid topology; each case breaks one line of it the way a person does. */
const lines = [
  "apiVersion: netplan-k/v1", // 1
  "name: demo", // 2
  "cluster:", // 3
  "  cidr: 10.42.0.0/16", // 4
  "  mode: bgp", // 5
  "  attach: routed", // 6
  "  bgp:", // 7
  "    reflectors: [a1]", // 8
  "hosts:", // 9
  "  - name: a1", // 10
  "    address: 198.51.100.11/24", // 11
  "  - name: a2", // 12
  "    address: 198.51.100.12/24", // 13
  "    namespaces: [{ name: web }]", // 14
  "",
];

const withLine = (line: number, text: string): string =>
  lines.map((l, i) => (i === line - 1 ? text : l)).join("\n");

const diagnostics = (text: string): string[] => {
  const result = loadTopologyText(text, "t.yaml", modes);
  return result.ok ? [] : result.diagnostics.map(formatDiagnostic);
};

describe("a file that does not parse reports its syntax errors alone", () => {
  test("the unchanged file is valid", () => {
    expect(loadTopologyText(lines.join("\n"), "t.yaml", modes).ok).toBe(true);
  });

  test("a key moved to column 0 is called under-indented, at its own line", () => {
    expect(diagnostics(withLine(6, "attach: routed"))).toEqual([
      "t.yaml:6:1: YAML syntax error: `attach` is indented less than `mode` above it and `bgp` below it\n" +
        "  hint: indent `attach` by 2 spaces, like `mode`",
    ]);
  });

  test("a key indented under a key with a value is called over-indented, at its own line", () => {
    expect(diagnostics(withLine(14, "          namespaces: [{ name: web }]"))).toEqual([
      "t.yaml:14:11: YAML syntax error: `namespaces` is indented deeper than `address` above it; align it with `address`\n" +
        "  hint: `address` already has a value on its line, so it cannot hold nested keys; indent `namespaces` by 4 spaces",
    ]);
  });

  test("a tab before a key is the only error, not the nesting it breaks", () => {
    expect(diagnostics(withLine(13, "\taddress: 198.51.100.12/24"))).toEqual([
      "t.yaml:13:1: tabs are not allowed as indentation in YAML\n  hint: indent with spaces",
    ]);
  });

  test("schema errors are not computed from a broken parse", () => {
    // The duplicate key is a syntax error; `mdoe` would be a schema error once it parses.
    const text = withLine(5, "  mdoe: bgp\n  cidr: 10.43.0.0/16");
    expect(diagnostics(text)).toEqual([
      "t.yaml:6:3: duplicate key cidr: each key may appear only once in a mapping\n" +
        "  hint: remove one of them or merge their contents",
    ]);
  });
});
