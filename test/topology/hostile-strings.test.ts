import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { LineCounter, isScalar, parseDocument, visit } from "yaml";
import { describe, expect, test } from "vitest";
import { formatDiagnostic } from "../../src/topology/diagnostic.js";
import { loadTopologyText } from "../../src/topology/load-topology.js";
import { modes } from "../../src/modes/registry.js";

/**
 * For every string value in a valid topology, substitute a string a shell would run, and
 * require a diagnostic at that very value: no string field of the format accepts them.
 */
const HOSTILE = ["red; reboot", "$(id)", "a`id`b"];

const documents = {
  "examples/vxlan.yaml": fileURLToPath(new URL("../../examples/vxlan.yaml", import.meta.url)),
  "rich-vxlan.yaml": fileURLToPath(new URL("rich-vxlan.yaml", import.meta.url)),
};

interface StringValue {
  readonly start: number;
  readonly end: number;
  readonly line: number;
  readonly column: number;
  readonly original: string;
}

function findStringValues(text: string): StringValue[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const found: StringValue[] = [];
  visit(doc, {
    Scalar(key, node) {
      // Values only: mapping keys are field names, checked as unknown fields elsewhere.
      if (key === "key" || !isScalar(node) || typeof node.value !== "string" || !node.range) return;
      const { line, col } = lineCounter.linePos(node.range[0]);
      found.push({
        start: node.range[0],
        end: node.range[1],
        line,
        column: col,
        original: node.value,
      });
    },
  });
  return found;
}

describe.each(Object.entries(documents))("hostile strings in %s", (name, path) => {
  const text = readFileSync(path, "utf8");
  const values = findStringValues(text);

  test("the document itself loads", () => {
    const result = loadTopologyText(text, name, modes);
    expect(result.ok ? [] : result.diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(values.length).toBeGreaterThan(name === "rich-vxlan.yaml" ? 30 : 15);
  });

  const cases = values.flatMap((v) =>
    HOSTILE.map(
      (hostile) => [`${v.line}:${v.column} ${v.original} -> ${hostile}`, v, hostile] as const,
    ),
  );
  test.each(cases)("%s", (_, value, hostile) => {
    // A JSON string is a valid YAML double-quoted scalar; text after it keeps its lines.
    const mutated = text.slice(0, value.start) + JSON.stringify(hostile) + text.slice(value.end);
    const result = loadTopologyText(mutated, name, modes);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const here = result.diagnostics.filter(
      (d) => d.severity === "error" && d.line === value.line && d.column === value.column,
    );
    expect(here.length, result.diagnostics.map(formatDiagnostic).join("\n")).toBeGreaterThan(0);
    expect(here[0]?.message).toContain(JSON.stringify(hostile));
  });
});
