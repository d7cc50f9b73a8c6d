import type { Host, TopologyFile } from "../../src/topology/topology-file.generated.js";

/** Small builders for the scenarios' topologies; the YAML the CLI reads is their stringify. */

export const labHost = (name: string, address: string, ...workloads: string[]): Host => ({
  name,
  address,
  ...(workloads.length === 0
    ? {}
    : { namespaces: workloads.map((workload) => ({ name: workload })) }),
});

/** The topology with one host's workloads replaced (added to, or taken from). */
export const withWorkloads = (
  topology: TopologyFile,
  hostName: string,
  workloads: readonly string[],
): TopologyFile => ({
  ...topology,
  hosts: topology.hosts.map((host) =>
    host.name === hostName
      ? { ...host, namespaces: workloads.map((workload) => ({ name: workload })) }
      : host,
  ) as TopologyFile["hosts"],
});

/** Every workload of the topology, as verify lists them. */
export const workloadCount = (topology: TopologyFile): number =>
  topology.hosts.reduce((count, host) => count + (host.namespaces?.length ?? 0), 0);

/**
 * BGP sessions the topology asks for: a full mesh has one per pair of hosts; with reflectors,
 * one per pair of reflectors and one per reflector and client.
 */
export function bgpSessionCount(topology: TopologyFile): number {
  const hosts = topology.hosts.length;
  const reflectors = topology.cluster.bgp?.reflectors?.length ?? 0;
  return reflectors === 0
    ? (hosts * (hosts - 1)) / 2
    : (reflectors * (reflectors - 1)) / 2 + reflectors * (hosts - reflectors);
}
