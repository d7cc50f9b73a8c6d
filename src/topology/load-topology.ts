import { readFile } from "node:fs/promises";
import { allocateAddresses, NOTHING_HELD, type HeldAddresses } from "./allocate.js";
import { checkBlocks } from "./check-blocks.js";
import { checkHosts } from "./check-hosts.js";
import { checkLab } from "./check-lab.js";
import { checkModeSettings } from "./check-mode-settings.js";
import { checkSegments } from "./check-segments.js";
import { checkWorkloadAddresses } from "./check-workload-addresses.js";
import { compareDiagnostics, type Diagnostic } from "./diagnostic.js";
import type { Finding } from "./finding.js";
import { readDraft } from "./read-draft.js";
import { readYaml } from "./read-yaml.js";
import { resolveTopology } from "./resolve-topology.js";
import type { Topology } from "./topology.js";
import type { TopologyFile } from "./topology-file.generated.js";
import { validateShape } from "./validate-shape.js";

export type LoadResult =
  | { readonly ok: true; readonly topology: Topology; readonly warnings: Diagnostic[] }
  | { readonly ok: false; readonly diagnostics: Diagnostic[] };

/**
 * Loads a topology from text: YAML, then shape (the JSON Schema), then meaning (semantic
 * checks and allocation). Every stage runs on whatever the previous ones could read, so one
 * run reports syntax, schema and semantic problems together, in file order. Allocation keeps
 * the blocks and addresses `held` says live hosts hold; without it, names alone decide. Pure.
 */
export function loadTopologyText(
  text: string,
  file: string,
  held: HeldAddresses = NOTHING_HELD,
): LoadResult {
  const source = readYaml(text);
  const shape = validateShape(source.data);
  const { draft, findings: addressFindings } = readDraft(source.data, shape.invalidPaths);
  const allocation = allocateAddresses(draft, held);
  const findings: Finding[] = [
    ...shape.findings,
    ...addressFindings,
    ...checkBlocks(draft),
    ...checkHosts(draft.hosts),
    ...checkSegments(draft),
    ...checkModeSettings(draft),
    ...checkLab(draft),
    ...allocation.findings,
    ...checkWorkloadAddresses(draft, allocation),
  ];
  const diagnostics = dedupe([
    ...source.problems.map((p): Diagnostic => ({ file, ...p })),
    ...findings.map((f): Diagnostic => {
      const { line, column } = source.locate(f.path, f.at);
      const base = { file, line, column, severity: f.severity, message: f.message };
      return f.hint === undefined ? base : { ...base, hint: f.hint };
    }),
  ]).sort(compareDiagnostics);
  if (diagnostics.some((d) => d.severity === "error")) return { ok: false, diagnostics };
  // No error at any stage: the data is a schema-valid TopologyFile with every address resolved.
  const topology = resolveTopology(source.data as TopologyFile, file, allocation);
  return { ok: true, topology, warnings: diagnostics };
}

/** Reads and loads a topology file; a file that cannot be read is a diagnostic too. */
export async function loadTopologyFile(
  path: string,
  held: HeldAddresses = NOTHING_HELD,
): Promise<LoadResult> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (cause) {
    const reason =
      (cause as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : errorText(cause);
    return {
      ok: false,
      diagnostics: [
        {
          file: path,
          line: 1,
          column: 1,
          severity: "error",
          message: `cannot read the topology: ${reason}`,
        },
      ],
    };
  }
  return loadTopologyText(text, path, held);
}

const errorText = (cause: unknown): string =>
  cause instanceof Error ? cause.message : String(cause);

function dedupe(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.line}:${d.column}:${d.severity}:${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
