import type { Position } from "./read-yaml.js";

/** A mis-indented line, described as the person made the mistake. */
export interface Misindentation extends Position {
  readonly message: string;
  readonly hint: string;
}

interface KeyLine {
  /** 1-based line number. */
  readonly line: number;
  /** 0-based column of the key (after any `- ` of a list item). */
  readonly indent: number;
  readonly key: string;
}

/** `  - name: a2` is the key `name` at column 4; comments, blank lines and plain items are not keys. */
function keyLineAt(lines: readonly string[], index: number): KeyLine | undefined {
  const match = /^((?: *- +)*| *)([^\s#:][^:#]*?)\s*:(?:\s|$)/.exec(lines[index] ?? "");
  if (match === null) return undefined;
  const lead = match[1] ?? "";
  return { line: index + 1, indent: lead.length, key: match[2] ?? "" };
}

/** The nearest line with a key in `step` direction (-1 up, +1 down), skipping blanks and comments. */
function nearestKeyLine(lines: readonly string[], from: number, step: 1 | -1): KeyLine | undefined {
  for (let i = from + step; i >= 0 && i < lines.length; i += step) {
    const text = lines[i] ?? "";
    if (/^\s*(#.*)?$/.test(text)) continue;
    return keyLineAt(lines, i);
  }
  return undefined;
}

/**
 * The yaml library reports a key that has a scalar value *and* nested keys below it
 * (BLOCK_AS_IMPLICIT_KEY) at the scalar, which is rarely the line the person got wrong.
 * Two mistakes lead there; the lines around tell them apart:
 * - the line below is indented too deep (`namespaces:` under `address: …`): point at it and
 *   say to align it with the key above;
 * - the key line itself is indented too little (`attach: routed` moved to column 0 while its
 *   neighbours above and below sit deeper): point at it and say how deep its neighbours are.
 * `errorLine` is the 1-based line of the reported scalar. Undefined when the text does not
 * look like either case (the caller keeps the library's own message then).
 */
export function describeMisindentation(
  text: string,
  errorLine: number,
): Misindentation | undefined {
  const lines = text.split(/\r?\n/);
  const keyLine = keyLineAt(lines, errorLine - 1);
  if (keyLine === undefined) return undefined;
  const below = nearestKeyLine(lines, errorLine - 1, 1);
  if (below === undefined || below.indent <= keyLine.indent) return undefined;
  const above = nearestKeyLine(lines, errorLine - 1, -1);
  if (above !== undefined && above.indent === below.indent && keyLine.indent < above.indent) {
    return {
      line: keyLine.line,
      column: keyLine.indent + 1,
      message: `YAML syntax error: \`${keyLine.key}\` is indented less than \`${above.key}\` above it and \`${below.key}\` below it`,
      hint: `indent \`${keyLine.key}\` by ${above.indent} spaces, like \`${above.key}\``,
    };
  }
  return {
    line: below.line,
    column: below.indent + 1,
    message: `YAML syntax error: \`${below.key}\` is indented deeper than \`${keyLine.key}\` above it; align it with \`${keyLine.key}\``,
    hint: `\`${keyLine.key}\` already has a value on its line, so it cannot hold nested keys; indent \`${below.key}\` by ${keyLine.indent} spaces`,
  };
}
