import { findGoneHosts, formatGoneHost } from "../planner/gone-hosts.js";
import type { Plan } from "../planner/plan.js";
import type { Topology } from "../topology/topology.js";

/**
 * The plan's warnings about hosts gone from the topology that still hold its objects
 * (findGoneHosts), one paragraph each, naming the topology's file in the command to run.
 * Gone hosts are known from IPv4 paths only (gone-hosts.ts): none in a cluster without IPv4.
 */
export function goneHostWarnings(plan: Pick<Plan, "hosts">, topology: Topology): string[] {
  const v4 = topology.cluster.v4;
  if (v4 === undefined) return [];
  return findGoneHosts(plan, {
    underlay: new Set(topology.hosts.flatMap((host) => (host.v4 ? [host.v4.underlayIp] : []))),
    clusterCidr: v4.cidr,
  }).map((gone) => formatGoneHost(gone, topology.source));
}
