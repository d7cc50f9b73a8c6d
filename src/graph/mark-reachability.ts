import type { ReachabilityMatrix } from "../verify/reachability.js";
import { pairKey, type GraphMarks } from "./graph-marks.js";
import type { Mark } from "./topology-graph.js";

/**
 * What verify found, as marks: a host pair is reachable when every workload of each reaches
 * every workload of the other, failing when any path between them failed; a host by the paths
 * between its own workloads. A source host that could not be asked fails all its paths.
 * Pairs and hosts without such paths (no workloads on one side) stay unmarked.
 */
export function markReachability(matrix: ReachabilityMatrix): GraphMarks {
  const results = new Map<string, boolean[]>();
  const record = (from: string, to: string, ok: boolean): void => {
    const key = from === to ? from : pairKey(from, to);
    results.set(key, [...(results.get(key) ?? []), ok]);
  };
  for (const row of matrix.hosts) {
    if (row.status === "checked") {
      for (const path of row.paths) record(path.from.host, path.to.host, path.ok);
      continue;
    }
    for (const from of matrix.endpoints.filter((e) => e.host === row.host)) {
      for (const to of matrix.endpoints.filter((e) => e !== from))
        record(from.host, to.host, false);
    }
  }
  const markOf = (oks: readonly boolean[]): Mark => (oks.every(Boolean) ? "reachable" : "failing");
  const hostNames = new Set(matrix.hosts.map((row) => row.host));
  const entries = [...results].map(([key, oks]) => [key, markOf(oks)] as const);
  return {
    hosts: new Map(entries.filter(([key]) => hostNames.has(key))),
    pairs: new Map(entries.filter(([key]) => !hostNames.has(key))),
    removed: [],
  };
}
