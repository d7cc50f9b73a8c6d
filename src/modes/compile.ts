import type { DesiredState } from "../model/index.js";
import type { Topology } from "../topology/topology.js";
import { assembleHostState } from "./assemble-host-state.js";
import type { HostContribution } from "./contribution.js";
import { buildHostContext } from "./host-context.js";
import { compileHostRequirements } from "./host-requirements.js";
import { overlayMtu } from "./overlay-mtu.js";
import { attachStyles, modes } from "./registry.js";

/**
 * What every host gets whatever the mode: forwarding on. Destroy never reverts it, since
 * other software on the host may rely on it.
 */
const everyHost: HostContribution = { sysctls: [{ key: "net.ipv4.ip_forward", value: "1" }] };

/**
 * Topology -> desired state of every host, in the topology's host order. Pure: the same
 * topology gives the same state, byte for byte (see assembleHostState for the ordering).
 */
export function compileTopology(topology: Topology): DesiredState {
  const mode = modes[topology.cluster.mode];
  const attach = attachStyles[topology.cluster.attach];
  const mtu = overlayMtu(topology);
  return {
    topology: topology.name,
    clusterCidr: topology.cluster.cidr,
    hosts: topology.hosts.map((host) => {
      const context = buildHostContext(topology, host, mtu);
      const state = assembleHostState(host.name, [
        everyHost,
        mode.compileHost(context),
        attach.compileHost(context),
      ]);
      return {
        host: host.name,
        state,
        requirements: compileHostRequirements(context, state, mode.overhead),
        learned: mode.learnedRoutes?.(context) ?? [],
      };
    }),
  };
}
