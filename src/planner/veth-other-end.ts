import type { Link, NamespaceState } from "../model/index.js";
import { makeConflict } from "./make-change.js";
import { aliasOwnerPhrase, isLinkOwned, type Scope } from "./ownership-rules.js";
import type { Change, Conflict } from "./plan.js";

/**
 * Where the other end of a workload's observed veth lies: in the workload itself (or not
 * known: a snapshot made before netplan-k read it), in the host's namespace as one of its
 * links, or in some other namespace, known only by the id the workload gives it.
 */
export type OtherEndPlace =
  | { readonly kind: "workload" }
  | { readonly kind: "host"; readonly link: Link }
  | { readonly kind: "elsewhere"; readonly nsid: number };

/**
 * Where `veth`, a link of the observed workload namespace `workload`, has its other end,
 * found among `hostLinks` (the host's observed links). A host link is the other end when it
 * names the workload by the id the host knows it by (NamespaceState.nsid) and the veth by its
 * index there (measured: scripts/record-veth-peer-fixtures.sh); indexes alone match by chance,
 * every namespace counting from 1. No host link naming it: the other end is elsewhere.
 */
export function locateOtherEnd(
  veth: Link,
  workload: Pick<NamespaceState, "nsid">,
  hostLinks: readonly Link[],
): OtherEndPlace {
  const end = veth.otherEnd;
  if (end === undefined || !("nsid" in end)) return { kind: "workload" };
  const link =
    workload.nsid === undefined
      ? undefined
      : hostLinks.find(
          (candidate) =>
            candidate.otherEnd !== undefined &&
            "nsid" in candidate.otherEnd &&
            candidate.otherEnd.nsid === workload.nsid &&
            candidate.otherEnd.ifindex === veth.ifindex,
        );
  return link === undefined ? { kind: "elsewhere", nsid: end.nsid } : { kind: "host", link };
}

/**
 * The conflict of removing `veth`, a veth of the owned workload `workload`, by `doing`
 * ("deleting eth1", "deleting namespace red"): undefined when its other end is inside the
 * workload or a host link of `scope`'s topology, which may go with it.
 */
function otherEndConflict(
  scope: Scope,
  workload: NamespaceState,
  hostLinks: readonly Link[],
  veth: Link,
  doing: string,
): Conflict | undefined {
  const place = locateOtherEnd(veth, workload, hostLinks);
  if (place.kind === "workload" || (place.kind === "host" && isLinkOwned(scope, place.link))) {
    return undefined;
  }
  const where =
    place.kind === "host"
      ? `whose other end ${place.link.name} is in the host namespace and ${aliasOwnerPhrase(place.link.alias)}; ` +
        `${doing} would delete ${place.link.name} too`
      : `whose other end is in another namespace (nsid ${place.nsid} in ${workload.name}), ` +
        `which netplan-k cannot name; ${doing} would delete that end too`;
  return makeConflict(
    "link",
    workload.name,
    veth.name,
    `${workload.name} holds ${veth.name}, a veth ${where}. Delete it by hand ` +
      `(ip -n ${workload.name} link del ${veth.name}) or move it out`,
  );
}

export interface VethOtherEndInput {
  /** The host's own scope: whose the host links are. */
  readonly scope: Scope;
  /** The observed workload namespace, owned by the topology. */
  readonly workload: NamespaceState;
  readonly hostLinks: readonly Link[];
  /** The plan's changes inside the workload. */
  readonly changes: readonly Change[];
}

/**
 * The changes inside an owned workload that delete or recreate a veth, judged by where its
 * other end is: the kernel deletes both ends of a pair together, wherever they are. A delete
 * stays planned when the other end is inside the workload or is a host link of this topology;
 * when it is a host link that is not, or in a namespace netplan-k cannot name, the change is
 * taken out and a conflict says what would go with it and how to clear it by hand. Pure.
 */
export function judgeVethOtherEnds(input: VethOtherEndInput): {
  changes: Change[];
  conflicts: Conflict[];
} {
  const changes: Change[] = [];
  const conflicts: Conflict[] = [];
  for (const change of input.changes) {
    const veth = change.kind === "link" ? change.before : undefined;
    const removes = change.action === "delete" || change.action === "replace";
    const doing = `${change.action === "delete" ? "deleting" : "recreating"} ${change.key}`;
    const conflict =
      veth !== undefined && removes && veth.kind === "veth"
        ? otherEndConflict(input.scope, input.workload, input.hostLinks, veth, doing)
        : undefined;
    if (conflict === undefined) changes.push(change);
    else conflicts.push(conflict);
  }
  return { changes, conflicts };
}

/**
 * The conflicts that hold the delete of an owned workload namespace nobody wants: deleting
 * it deletes its veths, and with them their other ends, judged as judgeVethOtherEnds does.
 * None: the namespace may go. Pure.
 */
export function findNamespaceDeleteConflicts(
  scope: Scope,
  workload: NamespaceState,
  hostLinks: readonly Link[],
): Conflict[] {
  const doing = `deleting namespace ${workload.name}`;
  return workload.net.links.flatMap((link) => {
    const conflict =
      link.kind === "veth" ? otherEndConflict(scope, workload, hostLinks, link, doing) : undefined;
    return conflict === undefined ? [] : [conflict];
  });
}
