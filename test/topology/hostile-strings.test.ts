import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { LineCounter, isPair, isScalar, isSeq, parseDocument, visit } from "yaml";
import { describe, expect, test } from "vitest";
import { formatDiagnostic } from "../../src/topology/diagnostic.js";
import { loadTopologyText } from "../../src/topology/load-topology.js";
import { modes } from "../../src/modes/registry.js";

/**
 * For every string value in a valid topology, substitute a string a shell would run, and
 * require a diagnostic at that very value: no string field of the format accepts them, so none
 * can reach a shell (every later stage takes its strings from a loaded topology). The documents
 * between them write every free-form string field the schema has (enums are closed lists):
 * the last test walks schemas/topology.schema.json and fails when a field is not tried.
 */
const HOSTILE = ["red; reboot", "$(id)", "a`id`b"];

const documents = {
  "examples/vxlan.yaml": fileURLToPath(new URL("../../examples/vxlan.yaml", import.meta.url)),
  "rich-vxlan.yaml": fileURLToPath(new URL("rich-vxlan.yaml", import.meta.url)),
};

interface StringValue {
  /** The field, as schemaStringFields names it: "hosts[].transport.host". */
  readonly field: string;
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
    Scalar(key, node, path) {
      // Values only: mapping keys are field names, checked as unknown fields elsewhere.
      if (key === "key" || !isScalar(node) || typeof node.value !== "string" || !node.range) return;
      const { line, col } = lineCounter.linePos(node.range[0]);
      const steps = [...path, node].slice(1);
      const field = steps
        .map((step) =>
          isPair(step) && isScalar(step.key)
            ? `.${String(step.key.value)}`
            : isSeq(step)
              ? "[]"
              : "",
        )
        .join("")
        .replace(/^\./, "");
      found.push({
        field,
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

/** Every field of the schema whose value is a free-form string, "hosts[].name" style. */
function schemaStringFields(): string[] {
  const schema = JSON.parse(
    readFileSync(
      fileURLToPath(new URL("../../schemas/topology.schema.json", import.meta.url)),
      "utf8",
    ),
  ) as SchemaNode & { $defs: Record<string, SchemaNode> };
  const fields = new Set<string>();
  const walk = (node: SchemaNode | undefined, path: string, seen: readonly string[]): void => {
    if (node === undefined) return;
    if (node.$ref !== undefined) {
      const name = node.$ref.split("/").pop() ?? "";
      if (!seen.includes(name)) walk(schema.$defs[name], path, [...seen, name]);
      return;
    }
    const types = [node.type].flat();
    if (types.includes("string") && node.enum === undefined && node.const === undefined) {
      fields.add(path);
    }
    for (const branch of [...(node.oneOf ?? []), ...(node.anyOf ?? []), ...(node.allOf ?? [])]) {
      walk(branch, path, seen);
    }
    for (const [name, child] of Object.entries(node.properties ?? {})) {
      walk(child, path === "" ? name : `${path}.${name}`, seen);
    }
    walk(node.items, `${path}[]`, seen);
  };
  walk(schema, "", []);
  return [...fields].sort();
}

interface SchemaNode {
  readonly $ref?: string;
  readonly type?: string | readonly string[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly oneOf?: readonly SchemaNode[];
  readonly anyOf?: readonly SchemaNode[];
  readonly allOf?: readonly SchemaNode[];
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly items?: SchemaNode;
}

test("every free-form string field of the schema is tried", () => {
  const tried = new Set(
    Object.values(documents).flatMap((path) =>
      findStringValues(readFileSync(path, "utf8")).map((value) => value.field),
    ),
  );
  const fields = schemaStringFields();
  expect(fields.length).toBeGreaterThan(20);
  expect(fields.filter((field) => !tried.has(field))).toEqual([]);
});
