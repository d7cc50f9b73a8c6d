import type { Diagnostic } from "../topology/diagnostic.js";

/**
 * One error as `-o json` prints it (docs/plan-json.md, "Errors"): a stable `code`, where
 * (`file`, `line`, `column`, when the error is about a place in a file), what is wrong and
 * what to do.
 */
export interface JsonError {
  readonly code: string;
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly message: string;
  readonly hint?: string;
}

/** A topology diagnostic as a JSON error. */
export const diagnosticToJsonError = (d: Diagnostic): JsonError => ({
  code: d.code,
  file: d.file,
  line: d.line,
  column: d.column,
  message: d.message,
  ...(d.hint === undefined ? {} : { hint: d.hint }),
});

/** `{"errors": [...]}`, two-space indented, with a final newline: what stdout holds on failure. */
export const renderJsonErrors = (errors: readonly JsonError[]): string =>
  `${JSON.stringify({ errors }, null, 2)}\n`;
