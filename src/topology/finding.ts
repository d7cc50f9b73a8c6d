import type { Path } from "./path.js";
import type { Part } from "./read-yaml.js";

/**
 * A diagnostic before it has a position: checks speak in document paths, and the loader
 * turns paths into line:column with the YAML source. Keeps every check free of text.
 */
export interface Finding {
  readonly path: Path;
  readonly at: Part;
  readonly severity: "error" | "warning";
  readonly message: string;
  readonly hint?: string;
}

export const errorAt = (path: Path, message: string, hint?: string): Finding =>
  hint === undefined
    ? { path, at: "value", severity: "error", message }
    : { path, at: "value", severity: "error", message, hint };

export const warningAt = (path: Path, at: Part, message: string, hint?: string): Finding =>
  hint === undefined
    ? { path, at, severity: "warning", message }
    : { path, at, severity: "warning", message, hint };
