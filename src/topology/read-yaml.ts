import {
  LineCounter,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  parseDocument,
  type Node,
  type YAMLError,
} from "yaml";
import { describeMisindentation } from "./describe-misindentation.js";
import { describeUnclosedFlow } from "./describe-unclosed-flow.js";
import { pathKey, type Path } from "./path.js";

export interface Position {
  readonly line: number;
  readonly column: number;
}

/** Which part of a mapping entry a message points at: the key (unknown field) or its value. */
export type Part = "key" | "value";

/** A problem found while reading the YAML itself, before any schema applies. */
export interface SyntaxProblem extends Position {
  readonly severity: "error" | "warning";
  readonly message: string;
  readonly hint?: string;
}

/**
 * The document as plain data (what the schema validates) plus the source position of every
 * value and key in it, so that each later message can point at the node it is about.
 */
export interface YamlSource {
  readonly data: unknown;
  readonly locate: (path: Path, part: Part) => Position;
  readonly problems: readonly SyntaxProblem[];
}

interface Offsets {
  readonly value: number;
  readonly key?: number;
}

/**
 * Reads YAML text into plain data with positions. Never throws: syntax errors become problems
 * and whatever could be parsed is still returned, so later checks can report on the rest.
 */
export function readYaml(text: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const toPosition = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return line === 0 ? { line: 1, column: offset + 1 } : { line, column: col };
  };

  const problems: SyntaxProblem[] = [];
  const seen = new Set<number>();
  // A tab in the indentation also breaks the nesting of its line and of the lines after it;
  // the tab is the mistake, the indentation errors below it are its echo.
  const firstTabLine = Math.min(
    ...doc.errors.filter((e) => e.code === "TAB_AS_INDENT").map((e) => toPosition(e.pos[0]).line),
  );
  const isTabEcho = (error: YAMLError, line: number): boolean =>
    error.code !== "TAB_AS_INDENT" &&
    /INDENT|IMPLICIT_KEY/.test(error.code) &&
    line >= firstTabLine;
  let reportedUnclosed = false;
  for (const error of doc.errors) {
    // One mistake often yields several errors at one spot; the first says it best.
    if (seen.has(error.pos[0])) continue;
    seen.add(error.pos[0]);
    const position = toPosition(error.pos[0]);
    if (isTabEcho(error, position.line)) continue;
    const misindented =
      error.code === "BLOCK_AS_IMPLICIT_KEY"
        ? describeMisindentation(text, position.line)
        : undefined;
    const unclosed = describeUnclosedFlow(error.message, text, error.pos[0]);
    // One bracket left open also leaves its enclosing collections unclosed: their errors echo it.
    if (unclosed !== undefined && reportedUnclosed) continue;
    reportedUnclosed ||= unclosed !== undefined;
    problems.push(
      misindented !== undefined
        ? { ...misindented, severity: "error" }
        : unclosed !== undefined
          ? { ...unclosed, severity: "error" }
          : { ...position, severity: "error", ...describeYamlError(error, text) },
    );
  }
  for (const warning of doc.warnings) {
    problems.push({
      ...toPosition(warning.pos[0]),
      severity: "warning",
      ...describeYamlError(warning, text),
    });
  }

  const offsets = new Map<string, Offsets>();
  const walk = (node: unknown, path: Path, keyOffset: number | undefined): unknown => {
    const start = nodeStart(node, keyOffset);
    offsets.set(
      pathKey(path),
      keyOffset === undefined ? { value: start } : { value: start, key: keyOffset },
    );
    if (isAlias(node)) {
      problems.push({
        ...toPosition(start),
        severity: "error",
        message: `aliases (*${node.source}) are not supported in a topology file`,
        hint: "write the value out; settings shared by every host belong in defaults",
      });
      return undefined;
    }
    if (isMap(node)) {
      const result: Record<string, unknown> = {};
      for (const pair of node.items) {
        const key = pair.key;
        const keyStart = nodeStart(key, start);
        if (!isScalar(key) || typeof key.value === "object") {
          problems.push({
            ...toPosition(keyStart),
            severity: "error",
            message: "a key must be a plain name, not a list or a mapping",
          });
          continue;
        }
        const name = String(key.value);
        // A repeated key is already a syntax error (uniqueKeys); the first one stands.
        if (Object.hasOwn(result, name)) continue;
        result[name] = walk(pair.value, [...path, name], keyStart);
      }
      return result;
    }
    if (isSeq(node)) return node.items.map((item, i) => walk(item, [...path, i], undefined));
    if (isScalar(node)) return node.value;
    return null;
  };
  const data = walk(doc.contents, [], undefined);

  const locate = (path: Path, part: Part): Position => {
    // A path the document does not have (a missing field) is located at its nearest ancestor.
    for (let n = path.length; n >= 0; n--) {
      const found = offsets.get(pathKey(path.slice(0, n)));
      if (found === undefined) continue;
      const offset = part === "key" && n === path.length ? (found.key ?? found.value) : found.value;
      return toPosition(offset);
    }
    return { line: 1, column: 1 };
  };
  return { data, locate, problems };
}

/**
 * Where a node starts. An empty value (`podCidr:` with nothing after it) has no text of its
 * own: it is located at its key.
 */
function nodeStart(node: unknown, fallback: number | undefined): number {
  const range = (node as Node | null | undefined)?.range;
  if (range === undefined || range === null) return fallback ?? 0;
  if (isScalar(node) && node.source === "" && fallback !== undefined) return fallback;
  return range[0];
}

function describeYamlError(error: YAMLError, text: string): { message: string; hint?: string } {
  switch (error.code) {
    case "DUPLICATE_KEY": {
      const key = /^[^:\n]*/.exec(text.slice(error.pos[0]))?.[0]?.trim() ?? "";
      return {
        message: `duplicate key ${key}: each key may appear only once in a mapping`,
        hint: "remove one of them or merge their contents",
      };
    }
    case "TAB_AS_INDENT":
      return { message: "tabs are not allowed as indentation in YAML", hint: "indent with spaces" };
    case "MISSING_CHAR":
      return error.message.includes("quote")
        ? {
            message: "YAML syntax error: a quoted string is never closed",
            hint: "add the closing quote",
          }
        : { message: `YAML syntax error: ${lowerFirst(firstLine(error.message))}` };
    case "MULTIPLE_DOCS":
      return { message: "a topology file holds one YAML document; remove the --- separator" };
    default: {
      const message = `YAML syntax error: ${lowerFirst(firstLine(error.message))}`;
      return /INDENT|IMPLICIT_KEY/.test(error.code)
        ? { message, hint: "nested keys must be indented further than their parent, with spaces" }
        : { message };
    }
  }
}

const firstLine = (text: string): string => text.split("\n")[0] ?? text;
const lowerFirst = (text: string): string => text.charAt(0).toLowerCase() + text.slice(1);
