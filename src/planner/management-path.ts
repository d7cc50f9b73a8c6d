import { Address4 } from "ip-address";
import type { ManagementPath, NetState, Route } from "../model/index.js";
import { LOCAL_TABLE, MAIN_TABLE } from "../model/index.js";
import { describeObject } from "./describe-object.js";
import { makeConflict } from "./make-change.js";
import type { Change, Conflict } from "./plan.js";

/**
 * The management-path guard (issue 11, point 4): a plan must not cut the SSH session it is
 * applied through. The session's path is what the host observed in the same round trip as its
 * state (observe/parse-management-path.ts): the client's address, the server's address, and
 * the device, source and gateway `ip route get <client>` picks. A change of the host's own
 * namespace is a conflict when it
 * - removes the address the session arrives at (or the source the kernel answers from);
 * - adds an address or a route (main or local table) whose prefix covers the client and is at
 *   least as long as the route the session takes now: longest prefix wins, so the new one
 *   would take the client's packets (a block or a peer's route covering the controller);
 * - removes the route the session takes now;
 * - deletes or recreates the session's device, sets it down, changes its MTU or its master.
 * The route the session takes now is the longest route of main on the session's device, with
 * its gateway, covering the client; when none is found (policy routing sent it elsewhere), every
 * covering route counts as taking it. Workload namespaces carry no session: not judged.
 */

/** Why a change is refused, said once for every conflict of the guard. */
export const ALLOW_MANAGEMENT_CHANGE = "pass --allow-management-change to do it anyway";

/**
 * The conflicts of `changes` (one host's, in plan order) with the host's management path.
 * `observed` is the host's own namespace as observed (to find the route the session takes).
 * Pure.
 */
export function findManagementPathConflicts(
  host: string,
  path: ManagementPath,
  observed: NetState,
  changes: readonly Change[],
): Conflict[] {
  const client = Address4.isValid(path.clientAddress)
    ? new Address4(`${path.clientAddress}/32`)
    : undefined;
  const current = client === undefined ? undefined : currentRoute(path, client, observed.routes);
  const currentBits = current === undefined ? 0 : new Address4(current.dst).subnetMask;
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
  const covers = (cidr: string): boolean =>
    client !== undefined &&
    Address4.isValid(cidr) &&
    client.isInSubnet(new Address4(cidr)) &&
    new Address4(cidr).subnetMask >= currentBits;
  const now =
    current === undefined
      ? "no route of main on that device was found for it"
      : `the session takes ${describeObject("route", current)} now`;

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
        } else if (change.after !== undefined && covers(networkOf(change.after.cidr))) {
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
        if (after !== undefined && isLookedUp(after) && covers(after.dst) && !isSame(after, path)) {
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
          before.dst === current.dst &&
          before.table === current.table &&
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

const VERBS: Readonly<Record<Change["action"], string>> = {
  create: "adding",
  update: "changing",
  delete: "removing",
  replace: "recreating",
};

/** The longest route of main on the session's device and gateway that covers the client. */
function currentRoute(
  path: ManagementPath,
  client: Address4,
  routes: readonly Route[],
): Route | undefined {
  let best: Route | undefined;
  for (const route of routes) {
    if (route.table !== MAIN_TABLE || route.type !== "unicast" || !isSame(route, path)) continue;
    if (!Address4.isValid(route.dst) || !client.isInSubnet(new Address4(route.dst))) continue;
    if (
      best === undefined ||
      new Address4(route.dst).subnetMask > new Address4(best.dst).subnetMask
    )
      best = route;
  }
  return best;
}

/** Main and local are looked up for every packet; other tables only through a rule. */
const isLookedUp = (route: Route): boolean =>
  route.table === MAIN_TABLE || route.table === LOCAL_TABLE;

/** Whether a route sends packets the way the session goes: same device, same gateway. */
const isSame = (route: Route, path: ManagementPath): boolean =>
  route.dev === path.dev && route.via === path.gateway;

/** "10.1.15.1/24" → "10.1.15.0/24": the connected route an address gives. */
function networkOf(cidr: string): string {
  if (!Address4.isValid(cidr)) return cidr;
  const address = new Address4(cidr);
  return `${address.startAddress().correctForm()}/${address.subnetMask}`;
}
