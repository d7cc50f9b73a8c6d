import type { ObservedHost } from "../model/index.js";
import { heldAddresses } from "../observe/held-addresses.js";
import { loadTopologyFile } from "../topology/load-topology.js";
import type { Host, Topology } from "../topology/topology.js";
import type { Transport } from "../transport/transport.js";
import { CliError } from "./cli-error.js";
import { closeAll, openHostTransports, type ConnectionOptions } from "./host-transports.js";
import { observeHosts } from "./observe-hosts.js";
import type { Output } from "./output.js";
import type { HostProgress } from "./per-host.js";
import { findUnbuiltLabHosts } from "./unbuilt-lab-hosts.js";
import { modes } from "../modes/registry.js";

/**
 * What the hosts outside `--limit` hold, read once each (read-only) so that allocation keeps
 * their blocks too: `observed` answered; `failures` could not be read, with why.
 */
export interface OutsideReading {
  readonly observed: readonly ObservedHost[];
  readonly failures: ReadonlyMap<string, string>;
}

export const NOTHING_OUTSIDE: OutsideReading = { observed: [], failures: new Map() };

/**
 * The topology with every block and workload address the observed hosts hold kept, where
 * the file leaves it free (allocate-slots.ts): what plan, apply and destroy compile once the
 * hosts are observed, so that adding a host never moves a live one. `topology` is the
 * names-only load of the same file (it names the hosts to observe). `outside` is what the
 * hosts left out by `--limit` hold (readOutsideLimit): their blocks are kept as well, and
 * one of them that could not be read while its block or a workload address is allocated
 * (so allocation depends on what it holds) is refused with a CliError naming it. The file is
 * read again; throws CliError when it no longer loads, because it changed while netplan-k ran.
 */
export async function keepHeldAddresses(
  topology: Topology,
  observed: readonly ObservedHost[],
  outside: OutsideReading = NOTHING_OUTSIDE,
): Promise<Topology> {
  const unread = topology.hosts.filter((h) => outside.failures.has(h.name) && isAllocated(h));
  if (unread.length > 0) {
    const names = unread.map((h) => h.name).join(", ");
    const why = unread.map((h) => `${h.name}: ${outside.failures.get(h.name)}`).join("; ");
    throw new CliError(
      `cannot read the blocks ${names} ${unread.length === 1 ? "holds" : "hold"} (${why}); --limit leaves ${unread.length === 1 ? "it" : "them"} out, but ${unread.length === 1 ? "its" : "their"} block or workload addresses are allocated, so the limited hosts' blocks depend on what ${unread.length === 1 ? "it holds" : "they hold"}`,
      `Make ${names} reachable, or write ${unread.length === 1 ? "its" : "their"} podCidr and workload ips in ${topology.source}.`,
    );
  }
  const v4 = topology.cluster.v4;
  if (v4 === undefined) return topology;
  const held = heldAddresses([...observed, ...outside.observed], {
    topology: topology.name,
    clusterCidr: v4.cidr,
    hostPrefix: v4.hostPrefix,
  });
  if (held.blocks.size === 0 && held.ips.size === 0) return topology;
  const result = await loadTopologyFile(topology.source, modes, held);
  if (!result.ok) {
    throw new CliError(
      `${topology.source} no longer loads: it changed while netplan-k was running`,
      "Run the command again.",
    );
  }
  return result.topology;
}

/**
 * A host whose IPv4 block or a workload's IPv4 address comes from the allocator, not from the
 * file: what live hosts hold is read for IPv4 only (allocate.ts).
 */
const isAllocated = (host: Host): boolean =>
  host.v4?.podCidrAllocated === true || host.workloads.some((w) => w.ipV4Allocated === true);

/** Progress of the outside reading: none, since it is not the command's own work. */
const QUIET: HostProgress = {
  report: () => undefined,
  finish: () => undefined,
  close: async () => undefined,
};

/**
 * The hosts of the topology that `contacted` (the hosts `--limit` names) leaves out, each
 * observed once, read-only (the observation is the read: one round trip, nothing changed),
 * for keepHeldAddresses. Nothing is read when every host was contacted. A lab host not
 * built yet holds nothing and is not contacted. `transportsOf` opens the transports (a test
 * passes fakes); by default as the command opens its own.
 */
export async function readOutsideLimit(
  topology: Topology,
  contacted: readonly string[],
  options: ConnectionOptions & { readonly parallelism: number; readonly output: Output },
  transportsOf: (hosts: readonly string[]) => Map<string, Transport> = (hosts) =>
    openHostTransports(topology, hosts, options),
): Promise<OutsideReading> {
  const others = topology.hosts.map((h) => h.name).filter((name) => !contacted.includes(name));
  if (others.length === 0) return NOTHING_OUTSIDE;
  const unbuilt = await findUnbuiltLabHosts(topology, others);
  const transports = transportsOf(others.filter((name) => !unbuilt.has(name)));
  try {
    const { observed, unobserved } = await observeHosts(transports, {
      parallelism: options.parallelism,
      output: options.output,
      progress: QUIET,
    });
    return { observed, failures: unobserved };
  } finally {
    await closeAll(transports);
  }
}
