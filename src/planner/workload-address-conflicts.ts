import type { Address, HostState, NamespaceState, Route } from "../model/index.js";
import { addressKey } from "../model/index.js";
import { describeObject, labelObject } from "./describe-object.js";
import { makeConflict } from "./make-change.js";
import { isComparedAddress } from "./normalisations.js";
import {
  familyOf,
  isPrefixWithin,
  isValidOf,
  parseIpPrefix,
  type IpFamily,
  type IpPrefix,
} from "./ip-prefix.js";
import { isInClusterRange } from "./ownership-rules.js";
import type { Conflict } from "./plan.js";

/**
 * Addresses inside a workload namespace that take another workload's packets. An address
 * inside the cluster CIDR that the topology does not give this workload, held anywhere in its
 * namespace (measured on a lab: another workload's address added to red's lo), makes the
 * kernel deliver red's packets for it to red itself (its local /32 is looked up first), so
 * red never reaches the workload that holds it, nor answers it: its replies stay inside.
 * netplan-k does not delete what it did not write, so each such address is a conflict that
 * names the namespace, the address and whose it is. Only addresses the keyed diff leaves
 * alone are judged here (those on lo): one on the workload's eth0 is deleted by the plan. An
 * address outside the cluster CIDR
 * (127.0.0.2 on lo, a second interface on 192.168.x) takes none of the cluster's packets.
 * IPv6 the same (its local /128 is looked up first too): one call judges the addresses of
 * one family, `clusterCidr` being the cluster's IPv4 range or its IPv6 one.
 */
export interface WorkloadAddressInput {
  /** The cluster's range of the family judged (its IPv4 CIDR, or its IPv6 one). */
  readonly clusterCidr: string;
  /** The workload namespace as the topology wants it. */
  readonly desired: NamespaceState;
  /** The same namespace as observed. */
  readonly observed: NamespaceState;
  /** Every workload namespace of this host as the topology wants it (to name whose it is). */
  readonly workloads: readonly NamespaceState[];
  /** The host's own desired routes (to name the peer block an address belongs to). */
  readonly hostRoutes: readonly Route[];
  /**
   * The workloads of the other hosts by address ("10.244.2.2"), as the topology gives them
   * (WorkloadAddresses): to name the one an address belongs to. Absent: named by its block.
   */
  readonly remoteWorkloads?: WorkloadAddresses;
}

/** Where a workload lives: its host and its namespace. */
export interface WorkloadPlace {
  readonly host: string;
  readonly namespace: string;
}

/**
 * Every workload's address (without its prefix, IPv6 in its RFC 5952 form as `ip` prints it)
 * and where that workload lives.
 */
export type WorkloadAddresses = ReadonlyMap<string, WorkloadPlace>;

/**
 * The address of every workload of `hosts` (desired state: what the topology gives them),
 * and where it lives. Pure; the first host to name an address wins (the topology's checks
 * refuse an address given twice).
 */
export function listWorkloadAddresses(
  hosts: Iterable<{ readonly host: string; readonly state: HostState }>,
): Map<string, WorkloadPlace> {
  const places = new Map<string, WorkloadPlace>();
  for (const { host, state } of hosts) {
    for (const namespace of state.namespaces) {
      for (const address of namespace.net.addresses) {
        if (!isValidOf(address.cidr, familyOf(address.cidr))) continue;
        const ip = addressOf(parseIpPrefix(address.cidr));
        if (!places.has(ip)) places.set(ip, { host, namespace: namespace.name });
      }
    }
  }
  return places;
}

/** The address of a prefix without its length, as `ip` prints it. */
const addressOf = (prefix: IpPrefix): string => prefix.correctForm();

/**
 * Whose the address is: a workload of this host, a workload of another host (when the
 * topology gives it one), a peer's block, or only the cluster's.
 */
function ownerOf(ip: IpPrefix, family: IpFamily, input: WorkloadAddressInput): string {
  const holder = input.workloads.find((ns) =>
    ns.net.addresses.some(
      (a) => isValidOf(a.cidr, family) && addressOf(parseIpPrefix(a.cidr)) === addressOf(ip),
    ),
  );
  if (holder !== undefined) return `the address of workload ${holder.name}`;
  const remote = input.remoteWorkloads?.get(addressOf(ip));
  if (remote !== undefined) {
    return `the address of workload ${remote.namespace} on host ${remote.host}`;
  }
  const block = input.hostRoutes
    .filter((route) => isInClusterRange(route.dst, input.clusterCidr))
    .filter((route) => isPrefixWithin(ip, parseIpPrefix(route.dst)))
    .sort((a, b) => parseIpPrefix(b.dst).subnetMask - parseIpPrefix(a.dst).subnetMask)[0];
  if (block !== undefined) {
    return `an address of a workload behind ${describeObject("route", block)}`;
  }
  return `an address of the cluster CIDR ${input.clusterCidr}`;
}

/**
 * The conflicts of one workload namespace's addresses (see above). Pure; throws nothing.
 * Takes the namespace desired and observed; gives one conflict per foreign address.
 */
export function findWorkloadAddressConflicts(input: WorkloadAddressInput): Conflict[] {
  const { clusterCidr, desired, observed } = input;
  const family = familyOf(clusterCidr);
  const wanted = new Set(desired.net.addresses.map(addressKey));
  return (
    observed.net.addresses
      .filter((address: Address) => isValidOf(address.cidr, family))
      // The others (on eth0) are netplan-k's to delete: the keyed diff plans that already.
      .filter((address) => !isComparedAddress(address, wanted))
      .map((address) => ({ address, ip: parseIpPrefix(address.cidr) }))
      .filter(({ ip }) => isInClusterRange(addressOf(ip), clusterCidr))
      .map(({ address, ip }) =>
        makeConflict(
          "address",
          observed.name,
          addressKey(address),
          `${labelObject("address", address)} in workload namespace ${observed.name} is not ` +
            `netplan-k's and takes ${addressOf(ip)}, ${ownerOf(ip, family, input)}: packets ` +
            `${observed.name} sends there stay inside it; remove it ` +
            `(ip -n ${observed.name} address del ${address.cidr} dev ${address.dev})`,
        ),
      )
  );
}
