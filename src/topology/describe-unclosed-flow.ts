import type { Position } from "./read-yaml.js";

/**
 * The yaml library's words for a flow collection whose closing bracket it did not find before
 * the block structure resumed (code BAD_INDENT, like a real indentation mistake).
 */
const UNCLOSED_FLOW =
  /^Flow (map|sequence) in block collection must be sufficiently indented and end with a [}\]]/;

const CLOSER: Readonly<Record<string, string>> = { "{": "}", "[": "]" };

/**
 * A missing `}` or `]` said as such, instead of a hint about indentation: which bracket opens
 * the collection that is never closed (line and column of the opener), and what to add.
 * `message` is the yaml library's error message, `offset` where it stopped. Undefined when the
 * error is not about an unclosed flow collection or no unclosed opener is found.
 */
export function describeUnclosedFlow(
  message: string,
  text: string,
  offset: number,
): (Position & { readonly message: string; readonly hint: string }) | undefined {
  const kind = UNCLOSED_FLOW.exec(message)?.[1];
  if (kind === undefined) return undefined;
  const opener = kind === "map" ? "{" : "[";
  const open = findUnclosed(text.slice(0, offset), opener);
  if (open === undefined) return undefined;
  const before = text.slice(0, open).split("\n");
  const line = before.length;
  const column = (before.at(-1)?.length ?? 0) + 1;
  const closer = CLOSER[opener] ?? "";
  return {
    line,
    column,
    message: `YAML syntax error: this ${opener} is never closed`,
    hint:
      `add the missing ${closer} where the ${kind === "map" ? "mapping" : "list"} ends, ` +
      "before the next key of the block around it",
  };
}

/**
 * The offset of the last `opener` in `text` that no bracket closes, skipping quoted strings
 * and comments. A closer that does not match the innermost open bracket closes nothing: its
 * own opener is the one left open.
 */
function findUnclosed(text: string, opener: string): number | undefined {
  const open: { readonly char: string; readonly offset: number }[] = [];
  let quote: string | undefined;
  let comment = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charAt(i);
    if (comment) {
      if (char === "\n") comment = false;
    } else if (quote !== undefined) {
      if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (char === "#" && (i === 0 || /\s/.test(text.charAt(i - 1)))) {
      comment = true;
    } else if (char === "{" || char === "[") {
      open.push({ char, offset: i });
    } else if (char === "}" || char === "]") {
      const top = open.at(-1);
      if (top !== undefined && CLOSER[top.char] === char) open.pop();
    }
  }
  return open.filter((o) => o.char === opener).at(-1)?.offset;
}
