import { Address4, Address6 } from "ip-address";
import type { Action, Change, Plan } from "../planner/plan.js";
import type { Topology } from "../topology/topology.js";
import { pairKey, type GraphMarks } from "./graph-marks.js";
import type { Mark, RemovedPath } from "./topology-graph.js";

/**
 * What a plan does to the paths, as marks, read from the plan's changes alone:
 * - a host with any change is "changed";
 * - a host pair whose routes to each other's blocks the plan touches (root namespace) is
 *   "new" when every such change creates a route, else "changed" (replaced, updated, or
 *   deleted because the path is now learned by BGP). In mode bgp no route is written: a
 *   created BIRD configuration makes all of the host's pairs "new", a changed one "changed";
 * - a deleted route to a block no host of the topology owns is a removed path.
 */
export function markPlanChanges(plan: Plan, topology: Topology): GraphMarks {
  // A dual-stack host owns a block of each family; ip-address finds an address of one family
  // in no subnet of the other.
  const blocks = topology.hosts.flatMap((h) => [
    ...(h.v4 === undefined
      ? []
      : [{ host: h.name, block: new Address4(h.v4.podCidr) as Address4 | Address6 }]),
    ...(h.v6 === undefined ? [] : [{ host: h.name, block: new Address6(h.v6.podCidr) }]),
  ]);
  const ownerOf = (dst: string): string | undefined => {
    const prefix = dst.includes(":") ? new Address6(dst) : new Address4(dst);
    return blocks.find(({ block }) => prefix.isInSubnet(block))?.host;
  };
  const pairActions = new Map<string, Action[]>();
  const record = (a: string, b: string, action: Action): void => {
    const key = pairKey(a, b);
    pairActions.set(key, [...(pairActions.get(key) ?? []), action]);
  };
  const removed: RemovedPath[] = [];
  for (const hostPlan of plan.hosts) {
    for (const change of hostPlan.changes) {
      if (change.kind === "file") {
        for (const peer of topology.hosts) {
          if (peer.name !== hostPlan.host) record(hostPlan.host, peer.name, change.action);
        }
      }
      const dst = routeDestination(change);
      if (dst === undefined) continue;
      const owner = ownerOf(dst);
      if (owner === undefined && change.action === "delete") {
        removed.push({ host: hostPlan.host, block: dst });
      } else if (owner !== undefined && owner !== hostPlan.host) {
        record(hostPlan.host, owner, change.action);
      }
    }
  }
  const markOf = (actions: readonly Action[]): Mark =>
    actions.every((action) => action === "create") ? "new" : "changed";
  return {
    hosts: new Map(
      plan.hosts.filter((h) => h.changes.length > 0).map((h) => [h.host, "changed" as const]),
    ),
    pairs: new Map([...pairActions].map(([key, actions]) => [key, markOf(actions)])),
    removed,
  };
}

/** The destination of a change to a route of the host's own namespace, if it is one. */
const routeDestination = (change: Change): string | undefined =>
  change.kind === "route" && change.netns === undefined
    ? (change.after ?? change.before)?.dst
    : undefined;
