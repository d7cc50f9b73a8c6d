import { Address4 } from "ip-address";
import type { Address, ManagementPath, NetState, Route, RoutingRule } from "../model/index.js";
import { addressKey, MAIN_TABLE, routeKey } from "../model/index.js";
import { isDerivedFromAddress } from "./address-routes.js";
import { describeObject, labelObject } from "./describe-object.js";
import { makeConflict } from "./make-change.js";
import type { Change, Conflict } from "./plan.js";
import {
  DEFAULT_RULES,
  prepareRules,
  routesHolding,
  walkRules,
  type RuleTable,
  type WalkCandidate,
} from "./rule-walk.js";

/**
 * The management-path guard (issue 11, point 4): a plan must not cut the SSH session it is
 * applied through. The session's path is what the host observed in the same round trip as its
 * state (observe/parse-management-path.ts): the client's address, the server's address, and
 * the device, source and gateway `ip route get <client> from <server>` picks. The session's
 * path is a claim like the underlay path to a peer (underlay-conflicts.ts), judged by the same
 * rule walk (rule-walk.ts): the kernel's policy rules walked for packets from the server's
 * address to the client's, with every route that holds the client, so a session that a rule
 * sends through another table (`ip rule add from <server> table 100`) is judged by the route
 * of that table. A change of the host's own namespace is a conflict when it
 * - removes the address the session arrives at (or the source the kernel answers from);
 * - adds an address or a route that would win that walk (in a table some rule looks up, and
 *   longer, or as long with no higher metric, than the route the session takes now): a block
 *   or a peer's route covering the controller;
 * - removes the route the session takes now (the route the walk ends at, on the session's
 *   device and gateway);
 * - deletes or recreates the session's device, sets it down, changes its MTU or its master.
 * Workload namespaces carry no session: not judged.
 */

/** Why a change is refused, said once for every conflict of the guard. */
export const ALLOW_MANAGEMENT_CHANGE = "pass --allow-management-change to do it anyway";

/** The id the walk gives a route a change would add (observed routes are their index). */
const ADDED = -1;

/**
 * The conflicts of `changes` (one host's, in plan order) with the host's management path.
 * `observed` is the host's own namespace as observed and `rules` its policy rules (absent in
 * older observations: the kernel's defaults), to find the route the session takes. Pure;
 * throws nothing.
 */
export function findManagementPathConflicts(
  host: string,
  path: ManagementPath,
  observed: NetState,
  rules: readonly RoutingRule[] | undefined,
  changes: readonly Change[],
): Conflict[] {
  const session =
    `the path of the SSH session to ${host} (from ${path.clientAddress} via ${path.dev}` +
    `${path.gateway === undefined ? "" : ` and ${path.gateway}`})`;
  const refuse = (change: Change, why: string): Conflict =>
    makeConflict(
      change.kind,
      undefined,
      change.key,
      `${why} would take ${session}; ${ALLOW_MANAGEMENT_CHANGE}`,
    );
  const walk = sessionWalk(path, observed.routes, rules);
  const current = walk?.current;
  const now =
    current === undefined
      ? "no route on that device was found for it"
      : `the session takes ${describeObject("route", current)} now`;
  const wins = (added: AddedRoute, replaced?: Route): boolean =>
    walk !== undefined && walk.wins(added, replaced);

  const conflicts: Conflict[] = [];
  for (const change of changes) {
    if (change.netns !== undefined) continue;
    const verb = VERBS[change.action];
    switch (change.kind) {
      case "address": {
        const before = change.before;
        const removed = change.action === "delete" || change.action === "replace";
        const ip = before?.cidr.split("/")[0];
        if (removed && (ip === path.serverAddress || ip === path.src)) {
          conflicts.push(
            refuse(
              change,
              `${verb} address ${before?.cidr} dev ${before?.dev} (the address the session ` +
                `${ip === path.serverAddress ? "arrives at" : "is answered from"})`,
            ),
          );
        } else if (
          change.after !== undefined &&
          wins({ dst: networkOf(change.after.cidr), table: MAIN_TABLE, metric: 0 })
        ) {
          conflicts.push(
            refuse(
              change,
              `${verb} address ${change.after.cidr} dev ${change.after.dev} (its connected ` +
                `route ${networkOf(change.after.cidr)} covers ${path.clientAddress}; ${now})`,
            ),
          );
        }
        break;
      }
      case "route": {
        const { before, after } = change;
        if (after !== undefined && !isSame(after, path) && wins(after, before)) {
          conflicts.push(
            refuse(
              change,
              `${verb} ${describeObject("route", after)} (it covers ${path.clientAddress}; ${now})`,
            ),
          );
        } else if (
          before !== undefined &&
          current !== undefined &&
          (change.action !== "update" || !isSame(after ?? before, path)) &&
          routeKey(before) === routeKey(current) &&
          isSame(before, path)
        ) {
          conflicts.push(
            refuse(change, `${verb} ${describeObject("route", before)} (the route it takes now)`),
          );
        }
        break;
      }
      case "link": {
        if (change.key !== path.dev) break;
        const { before, after } = change;
        const what =
          change.action === "delete" || change.action === "replace"
            ? `${verb} link ${path.dev}`
            : before?.up === true && after?.up === false
              ? `setting link ${path.dev} down`
              : before?.mtu !== after?.mtu
                ? `changing the MTU of link ${path.dev} (${before?.mtu} → ${after?.mtu})`
                : before?.master !== after?.master
                  ? `moving link ${path.dev} to master ${after?.master ?? "(none)"}`
                  : undefined;
        if (what !== undefined) conflicts.push(refuse(change, `${what} (the session's device)`));
        break;
      }
      default:
        break;
    }
  }
  return conflicts;
}

/**
 * `conflicts` (one host's) with those of the address the session arrives at (its
 * `serverAddress`, or the `src` the kernel answers from) named for what it is: the host's
 * management address, inside the cluster CIDR. That is the foreign-address conflict, and the
 * keyed conflict of the route the kernel derives from the address (address-routes.ts) when a
 * block has its key; their hints (`ip address del …`, "remove it") would cut the very session
 * the run works through, so these say to move the session or the cluster CIDR instead. They
 * stay conflicts (packets for the block would stay on the address's device), with or without
 * --allow-management-change, which lets a run change the session's path, not remove an
 * address it arrives at. `observed` is the host's own namespace as observed. Other conflicts
 * are kept as they are. Pure; throws nothing.
 */
export function nameManagementAddressConflicts(
  host: string,
  path: ManagementPath,
  observed: NetState,
  clusterCidr: string,
  conflicts: readonly Conflict[],
): Conflict[] {
  const sessionAddresses = observed.addresses.filter((address) => {
    const ip = address.cidr.split("/")[0];
    return ip === path.serverAddress || ip === path.src;
  });
  if (sessionAddresses.length === 0) return [...conflicts];
  const byKey = new Map(sessionAddresses.map((address) => [addressKey(address), address]));
  /** `route`: the keyed conflict is the one of the route derived from the address. */
  const named = (conflict: Conflict, address: Address, route?: Route): Conflict =>
    makeConflict(
      conflict.kind,
      undefined,
      conflict.key,
      `the management address of ${host}, ${labelObject("address", address)} (the SSH ` +
        `session from ${path.clientAddress} arrives at it), lies in the cluster CIDR ` +
        `${clusterCidr}` +
        `${route === undefined ? "" : `, and ${describeObject("route", route)} is its route`}: ` +
        `packets for the block there would stay on ${address.dev}, and removing the address ` +
        `would cut the session; give cluster.cidr a range that does not cover ` +
        `${address.cidr.split("/")[0]}, or reach ${host} over an address outside ` +
        `${clusterCidr} first`,
    );
  return conflicts.map((conflict) => {
    if (conflict.netns !== undefined) return conflict;
    if (conflict.kind === "address") {
      const address = byKey.get(conflict.key);
      return address === undefined ? conflict : named(conflict, address);
    }
    if (conflict.kind !== "route") return conflict;
    const route = observed.routes.find((r) => routeKey(r) === conflict.key);
    const address =
      route === undefined
        ? undefined
        : sessionAddresses.find((a) => isDerivedFromAddress(route, [a]));
    return route === undefined || address === undefined
      ? conflict
      : named(conflict, address, route);
  });
}

const VERBS: Readonly<Record<Change["action"], string>> = {
  create: "adding",
  update: "changing",
  delete: "removing",
  replace: "recreating",
};

/** A route a change would add, as the walk needs it (an address adds its connected route). */
type AddedRoute = Pick<Route, "dst" | "table" | "metric">;

/** The session's packets walked through the host's rules and observed routes. */
interface SessionWalk {
  /** The route the session takes now: the first end of the walk on its device and gateway. */
  readonly current: Route | undefined;
  /** Whether `added` (replacing `replaced`, for an update) would take some of its packets. */
  readonly wins: (added: AddedRoute, replaced?: Route) => boolean;
}

/**
 * The walk of the session's packets (from the server's address to the client's), or
 * undefined when either address is not IPv4 (the walk knows IPv4 only: not judged).
 */
function sessionWalk(
  path: ManagementPath,
  observedRoutes: readonly Route[],
  rules: readonly RoutingRule[] | undefined,
): SessionWalk | undefined {
  if (!Address4.isValid(path.clientAddress) || !Address4.isValid(path.serverAddress)) {
    return undefined;
  }
  const client = new Address4(`${path.clientAddress}/32`);
  // The session's packets are the host's own, from the address the session arrived at: the
  // walk's "cluster" is that one address, so `from <server>` rules match all of them.
  const table: RuleTable = prepareRules(rules ?? DEFAULT_RULES, `${path.serverAddress}/32`);
  // A throw route sends the lookup on to the next rule: it takes no packets itself.
  const routes = observedRoutes.filter(
    (route) => route.type !== "throw" && Address4.isValid(route.dst),
  );
  const candidates = routesHolding(routes, client);
  let current: Route | undefined;
  for (const end of walkRules(table, client, candidates)) {
    const route = end.kind === "route" ? routes[end.id] : undefined;
    if (route !== undefined && isSame(route, path)) {
      current = route;
      break;
    }
  }
  const wins = (added: AddedRoute, replaced?: Route): boolean => {
    if (!Address4.isValid(added.dst)) return false;
    const prefix = new Address4(added.dst);
    if (!client.isInSubnet(prefix)) return false;
    const gone = replaced === undefined ? undefined : routeKey(replaced);
    // Listed first, the added route wins a tie: judged strictly.
    const withAdded: WalkCandidate<number>[] = [
      { prefix, table: added.table, metric: added.metric, id: ADDED },
      ...candidates.filter(({ id }) => {
        const route = routes[id];
        return route !== undefined && routeKey(route) !== gone;
      }),
    ];
    return walkRules(table, client, withAdded).some(
      (end) => end.kind === "route" && end.id === ADDED,
    );
  };
  return { current, wins };
}

/** Whether a route sends packets the way the session goes: same device, same gateway. */
const isSame = (route: Route, path: ManagementPath): boolean =>
  route.dev === path.dev && route.via === path.gateway;

/** "10.1.15.1/24" → "10.1.15.0/24": the connected route an address gives. */
function networkOf(cidr: string): string {
  if (!Address4.isValid(cidr)) return cidr;
  const address = new Address4(cidr);
  return `${address.startAddress().correctForm()}/${address.subnetMask}`;
}
