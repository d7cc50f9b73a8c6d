import { formatDiagnostic } from "../topology/diagnostic.js";
import { loadTopologyFile } from "../topology/load-topology.js";
import type { Topology } from "../topology/topology.js";
import type { Output } from "./output.js";

/**
 * Loads a topology and prints every diagnostic (errors and warnings) to stderr.
 * Returns undefined when the topology is invalid: no host may be contacted then.
 */
export async function loadValidTopology(
  file: string,
  output: Output,
): Promise<Topology | undefined> {
  const result = await loadTopologyFile(file);
  const diagnostics = result.ok ? result.warnings : result.diagnostics;
  for (const diagnostic of diagnostics) output.err(formatDiagnostic(diagnostic));
  if (result.ok) return result.topology;
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  output.err(`${file}: ${errors} ${errors === 1 ? "error" : "errors"}; nothing was contacted.`);
  return undefined;
}
