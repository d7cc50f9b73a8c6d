import type { GraphHost } from "./topology-graph.js";

/**
 * The lines that describe a host in any format: name (and role), underlay address, block,
 * one line per workload. The renderers join and escape them.
 */
export const hostLabelLines = (host: GraphHost): string[] => [
  host.role === undefined ? host.name : `${host.name} (${host.role})`,
  host.underlayIp,
  `block ${host.block}`,
  ...host.workloads.map((w) => `${w.name} ${w.ip}`),
];
