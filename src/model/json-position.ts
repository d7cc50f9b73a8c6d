import { LineCounter, parseDocument } from "yaml";

/** A step into a JSON document: an object key or an array index. */
export type JsonPathStep = string | number;

/**
 * Where the value at `path` starts in JSON `text`, as "line:column" (1-based), for messages
 * that point into a file netplan-k wrote (a snapshot, a saved plan). JSON is YAML, so the
 * `yaml` parser, which keeps source ranges, finds it. A path the text does not hold (a key
 * that is missing) points at the deepest value on the way that exists. Only called once a
 * problem is found: parsing the text again costs nothing on the good path.
 */
export function positionInJson(text: string, path: readonly JsonPathStep[]): string {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false });
  for (let depth = path.length; depth >= 0; depth--) {
    const node = document.getIn(path.slice(0, depth), true) as
      { range?: readonly number[] | null } | undefined;
    const start = node?.range?.[0];
    if (start !== undefined) {
      const { line, col } = lineCounter.linePos(start);
      return `${line}:${col}`;
    }
  }
  return "1:1";
}

/** "/hosts/2/state/root/routes/0" (an ajv instancePath) as its steps. */
export function stepsOfPointer(pointer: string): JsonPathStep[] {
  return pointer
    .split("/")
    .slice(1)
    .map((segment) => segment.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}
