import type { DesiredHost, DesiredState } from "../model/index.js";
import type { Topology } from "../topology/topology.js";
import { assembleHostState } from "./assemble-host-state.js";
import type { HostContribution } from "./contribution.js";
import { buildHostContext } from "./host-context.js";
import { compileHostRequirements } from "./host-requirements.js";
import { overlayMtu, workloadMtu } from "./overlay-mtu.js";
import { attachStyles, modes, type ModeRegistry } from "./registry.js";

/**
 * What every host gets whatever the mode: forwarding on. Destroy never reverts it, since
 * other software on the host may rely on it.
 */
const everyHost: HostContribution = { sysctls: [{ key: "net.ipv4.ip_forward", value: "1" }] };

/** IPv6 forwarding (0 in a new namespace, measured); never reverted by destroy either. */
const IPV6_FORWARDING = { key: "net.ipv6.conf.all.forwarding", value: "1" };

/** Every host of a dual-stack cluster forwards both families. */
const everyDualStackHost: HostContribution = {
  sysctls: [...(everyHost.sysctls ?? []), IPV6_FORWARDING],
};

/** Every host of an IPv6-only cluster forwards IPv6 only: it routes no IPv4 of the cluster. */
const everyIpv6OnlyHost: HostContribution = { sysctls: [IPV6_FORWARDING] };

/**
 * Topology -> desired state of every host, in the topology's host order, with everything the
 * later stages need and would otherwise have to ask the mode for: what the host requires,
 * the routes a daemon installs there, what apply waits for once it is built, and which checks
 * verify runs. Pure: the same topology gives the same state, byte for byte (see
 * assembleHostState for the ordering). `registry` names the modes by the topology's
 * `cluster.mode` (tests add their own).
 */
export function compileTopology(topology: Topology, registry: ModeRegistry = modes): DesiredState {
  return {
    topology: topology.name,
    ...clusterRanges(topology),
    hosts: [...compileHosts(topology, registry)],
  };
}

/**
 * The cluster's ranges as DesiredState names them (the planner's ownership scope): the first
 * range (IPv4, or IPv6 in an IPv6-only cluster) and a dual-stack cluster's IPv6 one. Throws
 * for a cluster of neither family (the loader gives every cluster one).
 */
export function clusterRanges(
  topology: Topology,
): Pick<DesiredState, "clusterCidr" | "clusterCidrV6"> {
  const { v4, v6 } = topology.cluster;
  const first = v4 ?? v6;
  if (first === undefined) throw new Error(`topology ${topology.name} has no range`);
  return {
    clusterCidr: first.cidr,
    ...(v4 !== undefined && v6 !== undefined && { clusterCidrV6: v6.cidr }),
  };
}

/**
 * compileTopology's hosts one at a time, each compiled when it is asked for: a caller that
 * plans each host and lets it go holds one host's desired state, not the N² peer objects of
 * a full mesh (75 million at 5,000 hosts, more than Node's heap). Pure, like compileTopology.
 * Throws CompileError as compileTopology does, when the failing host is reached.
 */
export function* compileHosts(
  topology: Topology,
  registry: ModeRegistry = modes,
): Generator<DesiredHost> {
  const mode = registry[topology.cluster.mode];
  const attach = attachStyles[topology.cluster.attach];
  const mtu = overlayMtu(topology, mode);
  const workloadsMtu = workloadMtu(topology, mode);
  const { v4, v6 } = topology.cluster;
  const every =
    v6 === undefined ? everyHost : v4 === undefined ? everyIpv6OnlyHost : everyDualStackHost;
  for (const host of topology.hosts) {
    const context = buildHostContext(topology, host, mtu, workloadsMtu);
    const state = assembleHostState(host.name, [
      every,
      mode.compileHost(context),
      attach.compileHost(context),
    ]);
    yield {
      host: host.name,
      state,
      requirements: compileHostRequirements(context, state, mode.overhead),
      learned: mode.learnedRoutes?.(context) ?? [],
      ...(mode.waitFor !== undefined && { waitFor: mode.waitFor(context) }),
      ...(mode.checks !== undefined && { checks: mode.checks(context) }),
    };
  }
}
