/**
 * A problem found in a topology file, located at the node that causes it. Lines and columns
 * are 1-based, as editors and compilers print them.
 */
/**
 * Which stage found the problem; stable, for machines (`plan -o json`, docs/plan-json.md):
 * the file could not be read, its YAML does not parse, its shape breaks the schema (or a
 * value is not a valid address or CIDR), or its meaning is wrong (overlaps, duplicates, ...).
 */
export type DiagnosticCode =
  "topology.unreadable" | "topology.syntax" | "topology.schema" | "topology.semantic";

export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly severity: "error" | "warning";
  /** What is wrong, in the user's terms (`hosts[1].podCidr ...`), and what would be right. */
  readonly message: string;
  /** What to do about it, when there is something more specific to say. */
  readonly hint?: string;
}

/** `file:line:column: message`, plus a `  hint: ...` line when there is a hint. */
export function formatDiagnostic(d: Diagnostic): string {
  const prefix = d.severity === "warning" ? "warning: " : "";
  const first = `${d.file}:${d.line}:${d.column}: ${prefix}${d.message}`;
  return d.hint === undefined ? first : `${first}\n  hint: ${d.hint}`;
}

/** Orders diagnostics as they appear in the file (Array.prototype.sort is stable). */
export const compareDiagnostics = (a: Diagnostic, b: Diagnostic): number =>
  a.line - b.line || a.column - b.column;
