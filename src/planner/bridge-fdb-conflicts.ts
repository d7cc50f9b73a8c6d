import type { BridgeFdbEntry, NamespaceState, NetState } from "../model/index.js";
import { makeConflict } from "./make-change.js";
import type { Conflict } from "./plan.js";

/**
 * A workload attached to a bridge is reached through its veth's port; an entry of the bridge's
 * table pinned by hand that sends the workload's MAC out of another port takes its frames
 * (measured on a vxlan attach bridge lab, a foreign veth enslaved to cni0):
 * - `bridge fdb replace <MAC> dev <port> master static sticky`: the bridge never moves it, so
 *   no frame reaches the workload: a conflict;
 * - `… master permanent`: the bridge delivers frames for the MAC to the host itself: a conflict;
 * - `… master static` without sticky: the bridge moves the entry to the workload's port as soon
 *   as the workload sends a frame (its ARP reply does), and packets flowed: not judged.
 * netplan-k writes no entry in a bridge's table, so every pinned one is someone else's; the
 * workload's MAC is the one its eth0 was observed with (the kernel chooses it).
 */

export interface BridgeFdbConflictInput {
  /** The host's own namespace as the topology wants it: veths with a peer and a master. */
  readonly desired: NetState;
  /** The host's own namespace as observed (bridgeFdb: the pinned entries). */
  readonly observed: NetState;
  /** The workload namespaces as observed. */
  readonly namespaces: readonly NamespaceState[];
}

const pinnedWords = (entry: BridgeFdbEntry): string =>
  entry.sticky === true ? `${entry.state} sticky` : entry.state;

/**
 * One conflict for each pinned entry that takes the frames of a workload attached to a bridge
 * of the topology (see above). Pure; throws nothing.
 */
export function findBridgeFdbConflicts(input: BridgeFdbConflictInput): Conflict[] {
  const pinned = (input.observed.bridgeFdb ?? []).filter(
    (entry) => entry.sticky === true || entry.state === "permanent",
  );
  if (pinned.length === 0) return [];
  const conflicts: Conflict[] = [];
  for (const veth of input.desired.links) {
    const { peer, master } = veth;
    if (peer === undefined || master === undefined) continue;
    const workload = input.namespaces.find((ns) => ns.name === peer.netns);
    const mac = workload?.net.links.find((link) => link.name === peer.name)?.mac?.toLowerCase();
    if (mac === undefined) continue;
    for (const entry of pinned) {
      if (entry.bridge !== master || entry.mac !== mac || entry.port === veth.name) continue;
      const words = pinnedWords(entry);
      conflicts.push(
        makeConflict(
          "fdb",
          undefined,
          `${entry.bridge}/${entry.mac}`,
          `fdb ${entry.mac} dev ${entry.port} master ${entry.bridge} ${words} is not ` +
            `netplan-k's and takes workload ${peer.netns}'s MAC: ${entry.bridge} sends its ` +
            `frames ${entry.state === "permanent" ? "to the host itself" : `out of ${entry.port}`}` +
            `, never to ${veth.name}, and the kernel never moves a ${words} entry; remove it ` +
            `(bridge fdb del ${entry.mac} dev ${entry.port}${
              // On the bridge device itself (bridge fdb add … dev cni0 self local) the
              // kernel refuses "master" there (measured: Operation not supported).
              entry.port === entry.bridge ? "" : " master"
            }) or change the topology`,
        ),
      );
    }
  }
  return conflicts;
}
