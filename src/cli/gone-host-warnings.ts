import { findGoneHosts, formatGoneHost } from "../planner/gone-hosts.js";
import type { Plan } from "../planner/plan.js";
import type { Topology } from "../topology/topology.js";

/**
 * The plan's warnings about hosts gone from the topology that still hold its objects
 * (findGoneHosts), one paragraph each, naming the topology's file in the command to run.
 */
export const goneHostWarnings = (plan: Pick<Plan, "hosts">, topology: Topology): string[] =>
  findGoneHosts(plan, {
    underlay: new Set(topology.hosts.map((host) => host.underlayIp)),
    clusterCidr: topology.cluster.cidr,
  }).map((gone) => formatGoneHost(gone, topology.source));
