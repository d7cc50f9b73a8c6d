import { readFile, readdir } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { allocateAddresses, NOTHING_HELD, type HeldAddresses } from "./allocate.js";
import { checkBlocks } from "./check-blocks.js";
import { checkFamilies } from "./check-families.js";
import { checkHosts } from "./check-hosts.js";
import { checkLab } from "./check-lab.js";
import { checkModeSettings } from "./check-mode-settings.js";
import { checkWorkloadAddresses } from "./check-workload-addresses.js";
import { findClosestName } from "./closest-name.js";
import { compareDiagnostics, type Diagnostic } from "./diagnostic.js";
import type { Finding } from "./finding.js";
import type { ModeCatalog } from "./mode-facts.js";
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
 * checks and allocation). A YAML syntax error stops there: only syntax errors are reported.
 * Otherwise every stage runs on whatever the previous ones could read, so one run reports
 * schema and semantic problems together, in file order. `modes` gives what the checks must
 * know of each mode (src/modes' registry). Allocation keeps the blocks and addresses `held`
 * says live hosts hold; without it, names alone decide. Pure.
 */
export function loadTopologyText(
  text: string,
  file: string,
  modes: ModeCatalog,
  held: HeldAddresses = NOTHING_HELD,
): LoadResult {
  const source = readYaml(text);
  // Schema and semantic checks of a document that did not parse judge what the parser
  // guessed, not what was written: their errors would be noise next to the real one.
  const syntaxErrors = source.problems.filter((p) => p.severity === "error");
  if (syntaxErrors.length > 0) {
    return {
      ok: false,
      diagnostics: syntaxErrors
        .map((p): Diagnostic => ({ code: "topology.syntax", file, ...p }))
        .sort(compareDiagnostics),
    };
  }
  const shape = validateShape(source.data);
  const { draft, findings: addressFindings } = readDraft(source.data, shape.invalidPaths);
  const allocation = allocateAddresses(draft, held);
  const schemaFindings = new Set<Finding>([...shape.findings, ...addressFindings]);
  const findings: Finding[] = [
    ...shape.findings,
    ...addressFindings,
    ...checkBlocks(draft),
    ...checkFamilies(draft, modes),
    ...checkHosts(draft.hosts),
    ...checkModeSettings(draft, modes),
    ...checkLab(draft),
    ...allocation.findings,
    ...checkWorkloadAddresses(draft, allocation),
  ];
  const diagnostics = dedupe([
    ...source.problems.map((p): Diagnostic => ({ code: "topology.syntax", file, ...p })),
    ...findings.map((f): Diagnostic => {
      const { line, column } = source.locate(f.path, f.at);
      const code = schemaFindings.has(f) ? "topology.schema" : "topology.semantic";
      const base = { code, file, line, column, severity: f.severity, message: f.message } as const;
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
  modes: ModeCatalog,
  held: HeldAddresses = NOTHING_HELD,
): Promise<LoadResult> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (cause) {
    const { reason, hint } = await describeUnreadable(path, cause);
    return {
      ok: false,
      diagnostics: [
        {
          code: "topology.unreadable",
          file: path,
          line: 1,
          column: 1,
          severity: "error",
          message: `cannot read the topology: ${reason}`,
          ...(hint === undefined ? {} : { hint }),
        },
      ],
    };
  }
  return loadTopologyText(text, path, modes, held);
}

const isTopologyName = (name: string): boolean => /\.ya?ml$/.test(name);

/** The YAML files of a directory, sorted; none when it cannot be listed. */
const yamlFilesIn = async (directory: string): Promise<string[]> =>
  (await readdir(directory).catch(() => [] as string[])).filter(isTopologyName).sort();

/**
 * Why a topology file cannot be read, in words, and what to do: a mistyped name gets the
 * closest YAML file beside it, a directory the YAML files inside it.
 */
async function describeUnreadable(
  path: string,
  cause: unknown,
): Promise<{ reason: string; hint?: string }> {
  switch ((cause as NodeJS.ErrnoException).code) {
    case "ENOENT": {
      const closest = findClosestName(basename(path), await yamlFilesIn(dirname(path)));
      return {
        reason: "no such file",
        hint:
          closest !== undefined
            ? `did you mean ${join(dirname(path), closest)}?`
            : "check the path; a topology is a YAML file (see examples/)",
      };
    }
    case "EISDIR": {
      const files = await yamlFilesIn(path);
      return {
        reason: "it is a directory",
        hint:
          files.length > 0
            ? `name one of its topology files: ${files.map((f) => join(path, f)).join(", ")}`
            : "name a topology file (YAML), not a directory",
      };
    }
    default:
      return { reason: cause instanceof Error ? cause.message : String(cause) };
  }
}

function dedupe(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.line}:${d.column}:${d.severity}:${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
