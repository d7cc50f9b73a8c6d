import type { ReachabilityMatrix } from "../verify/reachability.js";
import { pairKey, type GraphMarks } from "./graph-marks.js";
import type { Mark } from "./topology-graph.js";

/**
 * What verify found, as marks: a host pair is reachable when every workload of each reaches
 * every workload of the other, failing when any path between them failed; a host by every path
 * that starts or ends at one of its workloads (not only the paths between its own workloads:
 * a host with one workload has none of those, and was left unmarked on a converged cluster).
 * A source host that could not be asked fails all its paths. Pairs and hosts without such
 * paths (no workloads) stay unmarked.
 */
export function markReachability(matrix: ReachabilityMatrix): GraphMarks {
  const pairs = new Map<string, boolean[]>();
  const hosts = new Map<string, boolean[]>();
  const add = (results: Map<string, boolean[]>, key: string, ok: boolean): void => {
    results.set(key, [...(results.get(key) ?? []), ok]);
  };
  const record = (from: string, to: string, ok: boolean): void => {
    add(hosts, from, ok);
    if (to !== from) {
      add(hosts, to, ok);
      add(pairs, pairKey(from, to), ok);
    }
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
  const marks = (results: Map<string, boolean[]>) =>
    new Map([...results].map(([key, oks]) => [key, markOf(oks)] as const));
  return { hosts: marks(hosts), pairs: marks(pairs), removed: [] };
}
