import type { Link, NamespaceState } from "../model/index.js";
import { makeConflict } from "./make-change.js";
import { aliasOwnerPhrase, isLinkOwned, type Scope } from "./ownership-rules.js";
import type { Change, Conflict } from "./plan.js";
import { locateOtherEnd } from "./veth-other-end.js";

/**
 * The device of its own namespace that `link` is stacked on: a VXLAN device's `dev`
 * (VxlanInfo.dev), a macvlan's `link` (Link.lower). Undefined when it sits on none.
 */
export function lowerDeviceOf(link: Link): string | undefined {
  return link.vxlan !== undefined && link.vxlan.dev !== "" ? link.vxlan.dev : link.lower;
}

/**
 * The links of `links` (one namespace's) that the kernel deletes with the device `name`:
 * those stacked on it, and those stacked on them (measured with kernel 6.18: ip link del of a
 * veth or a bridge deletes the VXLAN devices and macvlans made on it, scripts/
 * record-lower-device-fixtures.sh). In the order of `links`, level by level.
 */
export function linksStackedOn(links: readonly Link[], name: string): Link[] {
  const gone = new Set([name]);
  const stacked: Link[] = [];
  for (let grew = true; grew;) {
    grew = false;
    for (const link of links) {
      const lower = lowerDeviceOf(link);
      if (lower !== undefined && gone.has(lower) && !gone.has(link.name)) {
        gone.add(link.name);
        stacked.push(link);
        grew = true;
      }
    }
  }
  return stacked;
}

/**
 * A conflict per link stacked on the host link `deleted` that is not `scope`'s topology's,
 * which `doing` ("deleting flannel.1") would delete with it. None: what is stacked on it, if
 * anything, is netplan-k's and may go.
 */
function stackedConflicts(
  scope: Scope,
  hostLinks: readonly Link[],
  deleted: string,
  doing: string,
): Conflict[] {
  return linksStackedOn(hostLinks, deleted)
    .filter((upper) => !isLinkOwned(scope, upper))
    .map((upper) => {
      const lower = lowerDeviceOf(upper) ?? deleted;
      const on = lower === deleted ? deleted : `${lower}, which is stacked on ${deleted}`;
      return makeConflict(
        "link",
        undefined,
        upper.name,
        `${upper.name}, a ${upper.kind} that ${aliasOwnerPhrase(upper.alias)}, sits on ${on}; ` +
          `${doing} would delete ${upper.name} too. Delete ${upper.name} by hand ` +
          `(ip link del ${upper.name}) or move it to another device`,
      );
    });
}

const removes = (change: Change): boolean =>
  change.kind === "link" && (change.action === "delete" || change.action === "replace");

const doingOf = (change: Change): string =>
  `${change.action === "delete" ? "deleting" : "recreating"} ${change.key}`;

/**
 * `changes` without those `conflictsOf` finds conflicts for, and those conflicts: a change
 * that would delete a foreign link is held, taken out of the plan.
 */
function holdChanges(
  changes: readonly Change[],
  conflictsOf: (change: Change) => Conflict[],
): { changes: Change[]; conflicts: Conflict[] } {
  const kept: Change[] = [];
  const conflicts: Conflict[] = [];
  for (const change of changes) {
    const found = removes(change) ? conflictsOf(change) : [];
    if (found.length === 0) kept.push(change);
    else conflicts.push(...found);
  }
  return { changes: kept, conflicts };
}

/**
 * The host's changes, judged by what is stacked on the links they delete or recreate (a
 * recreate deletes first): a link that is not this topology's on one of them holds the
 * change, taken out, and a conflict names both and how to clear it by hand. A link of this
 * topology on it may go (the plan deletes it too). `hostLinks`: the host's observed links.
 * Pure.
 */
export const judgeStackedLinks = (
  scope: Scope,
  hostLinks: readonly Link[],
  changes: readonly Change[],
): { changes: Change[]; conflicts: Conflict[] } =>
  holdChanges(changes, (change) => stackedConflicts(scope, hostLinks, change.key, doingOf(change)));

/**
 * The changes inside the owned workload `workload` judged the same way through the veths they
 * remove: the kernel deletes both ends of a pair, so a host link at the other end goes, and
 * what is stacked on it. Links stacked inside the workload are the workload's, which the
 * topology owns whole. Pure.
 */
export const judgeWorkloadStackedLinks = (
  scope: Scope,
  workload: NamespaceState,
  hostLinks: readonly Link[],
  changes: readonly Change[],
): { changes: Change[]; conflicts: Conflict[] } =>
  holdChanges(changes, (change) =>
    change.kind === "link" && change.before !== undefined
      ? hostEndConflicts(
          scope,
          workload,
          hostLinks,
          change.before,
          (end) => `${doingOf(change)} in ${workload.name} (the other end of ${end})`,
        )
      : [],
  );

/**
 * The conflicts that hold the delete of the owned workload namespace `workload`: deleting it
 * deletes its veths, their host ends, and what is stacked on those. Pure.
 */
export function findNamespaceStackedConflicts(
  scope: Scope,
  workload: NamespaceState,
  hostLinks: readonly Link[],
): Conflict[] {
  return workload.net.links.flatMap((link) =>
    hostEndConflicts(
      scope,
      workload,
      hostLinks,
      link,
      (end) => `deleting namespace ${workload.name} (it holds the other end of ${end})`,
    ),
  );
}

/**
 * The conflicts of what is stacked on the host end of `link`, a link of `workload`, when it is
 * a veth with its other end in the host; `doing` says, given that end, what deletes it.
 */
function hostEndConflicts(
  scope: Scope,
  workload: NamespaceState,
  hostLinks: readonly Link[],
  link: Link,
  doing: (end: string) => string,
): Conflict[] {
  if (link.kind !== "veth") return [];
  const place = locateOtherEnd(link, workload, hostLinks);
  if (place.kind !== "host") return [];
  return stackedConflicts(scope, hostLinks, place.link.name, doing(place.link.name));
}
