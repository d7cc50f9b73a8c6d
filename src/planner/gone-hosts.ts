import { Address4 } from "ip-address";
import type { Change, HostPlan, Plan } from "./plan.js";

/**
 * A host that left the topology but still holds what netplan-k built there: netplan-k only
 * contacts the topology's hosts, so its links, namespaces and routes stay. It is known from
 * the hosts that remain: the plan deletes their owned paths to an underlay address that is no
 * host of the topology (host-gw and ipip: a route via it; vxlan: the fdb entry that sends the
 * peer's VTEP MAC to it, and the route through that peer's neighbour).
 */
export interface GoneHost {
  /** Its underlay address, as the remaining hosts' routes or fdb entries name it. */
  readonly address: string;
  /** The remaining hosts whose paths to it this plan deletes. */
  readonly holders: readonly string[];
  /** The blocks those paths lead to (its block, as the remaining hosts route it). */
  readonly blocks: readonly string[];
}

/** What a topology says about where its hosts are: their underlay addresses and the cluster. */
export interface GoneHostScope {
  readonly underlay: ReadonlySet<string>;
  readonly clusterCidr: string;
}

/**
 * The changes of a host's plan that gone hosts are known from: its deletes outside workload
 * namespaces. findGoneHosts reads no others, so a plan written host by host keeps only these.
 */
export const goneHostClues = (host: HostPlan): Change[] =>
  host.changes.filter((change) => change.action === "delete" && change.netns === undefined);

/**
 * The gone hosts a plan reveals (GoneHost), by address, from its deletes. Pure: reads the plan
 * only. A destroy plan reveals none (its deletes lead to hosts of the topology); a peer that
 * changed its underlay address is an update of the paths, not a delete.
 */
export function findGoneHosts(plan: Pick<Plan, "hosts">, scope: GoneHostScope): GoneHost[] {
  const cluster = new Address4(scope.clusterCidr);
  // IPv6 paths (a dual-stack cluster's) are not read for gone hosts: a gone dual-stack peer
  // is named by its IPv4 paths, which it always has.
  const isGone = (address: string): boolean =>
    Address4.isValid(address) &&
    !scope.underlay.has(address) &&
    !new Address4(address).isInSubnet(cluster);
  const found = new Map<string, { holders: Set<string>; blocks: Set<string> }>();
  const note = (address: string, holder: string, block?: string): void => {
    const entry = found.get(address) ?? { holders: new Set(), blocks: new Set() };
    entry.holders.add(holder);
    if (block !== undefined) entry.blocks.add(block);
    found.set(address, entry);
  };
  for (const host of plan.hosts) {
    const deleted = goneHostClues(host);
    const fdbDst = new Map<string, string>();
    const neighbourMac = new Map<string, string>();
    for (const change of deleted) {
      if (change.kind === "fdb" && change.before !== undefined)
        fdbDst.set(change.before.mac.toLowerCase(), change.before.dst);
      if (change.kind === "neighbour" && change.before?.lladdr !== undefined)
        neighbourMac.set(change.before.dst, change.before.lladdr.toLowerCase());
    }
    for (const dst of fdbDst.values()) if (isGone(dst)) note(dst, host.host);
    for (const change of deleted) {
      if (change.kind !== "route" || change.before?.via === undefined) continue;
      const via = change.before.via;
      const mac = neighbourMac.get(via);
      const peer = mac === undefined ? via : fdbDst.get(mac);
      if (peer !== undefined && isGone(peer)) note(peer, host.host, change.before.dst);
    }
  }
  return [...found]
    .map(([address, { holders, blocks }]) => ({
      address,
      holders: [...holders].sort(),
      blocks: [...blocks].sort(),
    }))
    .sort((a, b) => a.address.localeCompare(b.address));
}

/**
 * What a person must know about a gone host, and what to do: one paragraph for the plan.
 * `topologyFile` is the file the plan was made from, for the command to run.
 */
export function formatGoneHost(gone: GoneHost, topologyFile: string): string {
  const paths = gone.blocks.length > 0 ? `routes to ${gone.blocks.join(", ")}` : "fdb entries";
  return (
    `! ${gone.address} is no host of this topology, but ${gone.holders.join(", ")} still ` +
    `hold${gone.holders.length === 1 ? "s" : ""} netplan-k's ${paths} through it: a host ` +
    "removed from the topology keeps everything netplan-k built on it (links, namespaces, " +
    "routes), since netplan-k no longer contacts it. This plan removes those paths from the " +
    "hosts that remain. To clean the removed host too, put it back in the topology and run " +
    `netplan-k destroy ${topologyFile} --limit <host> before removing it.`
  );
}
