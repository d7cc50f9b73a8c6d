import { hostNamespace } from "../lab/lab-names.js";
import { listNamespaces } from "../lab/namespaces.js";
import type { Topology } from "../topology/topology.js";

/**
 * Hosts of a lab topology that its lab has not built yet, each with what to run: "a6 is not
 * built in lab nu: run `netplan-k lab up nu-lab.yaml`". A lab host is a network namespace on
 * this machine, so one local `ip -j netns list` tells, before any connection is tried (an SSH
 * banner that never comes costs 10 s). Guests (`lab.guests`) and topologies without a lab are
 * left to their transport's own errors, and so is a machine where the list cannot be read.
 */
export async function findUnbuiltLabHosts(
  topology: Topology,
  hosts: readonly string[],
): Promise<ReadonlyMap<string, string>> {
  const lab = topology.lab;
  if (lab === undefined) return new Map();
  let present: ReadonlySet<string>;
  try {
    present = new Set(await listNamespaces());
  } catch {
    return new Map();
  }
  return new Map(
    hosts
      .filter((host) => !lab.guests.includes(host))
      .filter((host) => !present.has(hostNamespace(lab.prefix, host)))
      .map((host) => [
        host,
        `${host}: not built in lab ${lab.prefix}: run \`netplan-k lab up ${topology.source}\``,
      ]),
  );
}
