import type { ObservedHost } from "../model/index.js";
import { heldAddresses } from "../observe/held-addresses.js";
import { loadTopologyFile } from "../topology/load-topology.js";
import type { Topology } from "../topology/topology.js";
import { CliError } from "./cli-error.js";

/**
 * The topology with every block and workload address the observed hosts hold kept, where
 * the file leaves it free (allocate-slots.ts): what plan, apply and destroy compile once the
 * hosts are observed, so that adding a host never moves a live one. `topology` is the
 * names-only load of the same file (it names the hosts to observe). The file is read again;
 * throws CliError when it no longer loads, because it changed while netplan-k ran.
 */
export async function keepHeldAddresses(
  topology: Topology,
  observed: readonly ObservedHost[],
): Promise<Topology> {
  const held = heldAddresses(observed, {
    topology: topology.name,
    clusterCidr: topology.cluster.cidr,
    hostPrefix: topology.cluster.hostPrefix,
  });
  if (held.blocks.size === 0 && held.ips.size === 0) return topology;
  const result = await loadTopologyFile(topology.source, held);
  if (!result.ok) {
    throw new CliError(
      `${topology.source} no longer loads: it changed while netplan-k was running`,
      "Run the command again.",
    );
  }
  return result.topology;
}
