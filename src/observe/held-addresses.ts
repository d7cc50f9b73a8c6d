import { Address4 } from "ip-address";
import type { HostState, ObservedHost } from "../model/host-state.js";
import { ownerAlias } from "../model/ownership.js";
import { WORKLOAD_INTERFACE } from "../modes/naming.js";
import type { HeldAddresses } from "../topology/allocate.js";

/** What heldAddresses needs of the topology: whose objects to read, and how blocks are cut. */
export interface HeldAddressScope {
  readonly topology: string;
  /** cluster.cidr, canonical CIDR. */
  readonly clusterCidr: string;
  readonly hostPrefix: number;
}

/**
 * The blocks and workload addresses live hosts hold, read from the objects this topology
 * owns on them, for allocation to keep (allocate-slots.ts). Evidence of a host's block: an
 * address inside cluster.cidr on a root link carrying the topology's alias (cni0's gateway,
 * the VTEP's or tunl0's network address), or on eth0 of one of the topology's workload
 * namespaces; the block is that address's hostPrefix-sized block. A host whose evidence
 * names more than one block holds none (a half-done move: names decide). A workload holds
 * the address on eth0 of its namespace. Foreign objects are never evidence. Pure.
 */
export function heldAddresses(
  observed: readonly ObservedHost[],
  scope: HeldAddressScope,
): HeldAddresses {
  const cluster = new Address4(scope.clusterCidr);
  const blocks = new Map<string, Address4>();
  const ips = new Map<string, ReadonlyMap<string, Address4>>();
  for (const { host, state } of observed) {
    const workloads = workloadAddresses(state, scope.topology, cluster);
    const evidence = [...ownedRootAddresses(state, scope.topology, cluster), ...workloads.values()];
    const held = new Set(evidence.map((a) => blockOf(a, scope.hostPrefix)));
    const [block] = held;
    if (held.size === 1 && block !== undefined) blocks.set(host, new Address4(block));
    if (workloads.size > 0) ips.set(host, workloads);
  }
  return { blocks, ips };
}

/** Addresses inside the cluster on root links that carry the topology's alias. */
function ownedRootAddresses(state: HostState, topology: string, cluster: Address4): Address4[] {
  const alias = ownerAlias(topology);
  const owned = new Set(state.root.links.filter((l) => l.alias === alias).map((l) => l.name));
  return state.root.addresses
    .filter((a) => owned.has(a.dev) && isIpv4Cidr(a.cidr))
    .map((a) => addressOf(a.cidr))
    .filter((a) => a.isInSubnet(cluster));
}

/** The address inside the cluster on eth0 of each of the topology's workload namespaces. */
function workloadAddresses(
  state: HostState,
  topology: string,
  cluster: Address4,
): Map<string, Address4> {
  const held = new Map<string, Address4>();
  for (const namespace of state.namespaces) {
    if (namespace.owner !== topology) continue;
    const address = namespace.net.addresses
      .filter((a) => a.dev === WORKLOAD_INTERFACE && isIpv4Cidr(a.cidr))
      .map((a) => addressOf(a.cidr))
      .find((a) => a.isInSubnet(cluster));
    if (address !== undefined) held.set(namespace.name, address);
  }
  return held;
}

/**
 * Only IPv4 addresses are evidence: a dual-stack host's IPv6 block is allocated from names
 * alone (README, "Dual-stack"), and its addresses sit on the same links.
 */
const isIpv4Cidr = (cidr: string): boolean => Address4.isValid(cidr);

/** The address of an observed "10.244.1.1/24", as a /32. */
const addressOf = (cidr: string): Address4 => new Address4(cidr.split("/")[0] ?? "");

/** The hostPrefix-sized block an address lies in, canonical CIDR. */
const blockOf = (address: Address4, hostPrefix: number): string =>
  new Address4(`${address.addressMinusSuffix}/${hostPrefix}`).startAddress().correctForm() +
  `/${hostPrefix}`;
