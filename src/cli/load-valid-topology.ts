import { withRecordedLabPrefix } from "../lab/lab-owner.js";
import { formatDiagnostic } from "../topology/diagnostic.js";
import { loadTopologyFile } from "../topology/load-topology.js";
import type { Topology } from "../topology/topology.js";
import { diagnosticToJsonError, renderJsonErrors } from "./json-errors.js";
import type { Output } from "./output.js";
import { modes } from "../modes/registry.js";

/**
 * Loads a topology and prints every diagnostic (errors and warnings) to stderr; with
 * `json`, the errors go to stdout as `{"errors": [...]}` instead (warnings stay on stderr).
 * Returns undefined when the topology is invalid: no host may be contacted then. A lab built
 * with `lab up --prefix` is reached under that prefix (lab/lab-owner.ts).
 */
export async function loadValidTopology(
  file: string,
  output: Output,
  options: { readonly json?: boolean } = {},
): Promise<Topology | undefined> {
  const result = await loadTopologyFile(file, modes);
  const diagnostics = result.ok ? result.warnings : result.diagnostics;
  const errors = diagnostics.filter((d) => d.severity === "error");
  const shown =
    options.json === true ? diagnostics.filter((d) => d.severity !== "error") : diagnostics;
  for (const diagnostic of shown) output.err(formatDiagnostic(diagnostic));
  if (result.ok) return withRecordedLabPrefix(result.topology);
  if (options.json === true) output.out(renderJsonErrors(errors.map(diagnosticToJsonError)));
  output.err(
    `${file}: ${errors.length} ${errors.length === 1 ? "error" : "errors"}; nothing was contacted.`,
  );
  return undefined;
}
