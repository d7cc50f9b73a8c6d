/** A markdown table of rows of cells, the header first; numbers are right-aligned. */
export function formatMarkdownTable(
  header: readonly string[],
  rows: readonly (readonly (string | number)[])[],
): string {
  const numeric = header.map((_, column) => rows.every((row) => typeof row[column] === "number"));
  const line = (cells: readonly (string | number)[]) => `| ${cells.map(String).join(" | ")} |`;
  const rule = `|${numeric.map((right) => (right ? "---:" : "---")).join("|")}|`;
  return [line(header), rule, ...rows.map(line)].join("\n");
}

/** Milliseconds as seconds with two decimals: 1234.5 gives "1.23". */
export const seconds = (ms: number): number => Math.round(ms / 10) / 100;
