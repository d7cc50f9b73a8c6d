import {
  describeBgpRole,
  listBgpSessions,
  sessionBlockRenderer,
  type BgpPeerRole,
  type BgpPeerSession,
} from "./bird-config.js";
import { BIRD_CONFIG_PATH } from "./naming.js";
import type { Host, Topology } from "../topology/topology.js";
import type { ManagedFile } from "../model/index.js";

/** A BGP session a plan opens or closes on one host: `+ bgp peer a6 (198.51.100.16, rr client)`. */
export interface BgpPeerChange {
  readonly action: "create" | "delete";
  readonly peer: string;
  readonly address: string;
  readonly role: BgpPeerRole;
}

/**
 * The part of a plan (src/planner/plan.ts) these changes are read from: each host's file
 * changes, BIRD's configuration before and after.
 */
export interface PlannedFiles {
  readonly hosts: readonly {
    readonly host: string;
    readonly changes: readonly {
      readonly kind: string;
      readonly key: string;
      readonly before?: Partial<ManagedFile> | object;
      readonly after?: Partial<ManagedFile> | object;
    }[];
  }[];
}

/** BGP peer changes per host name; hosts whose sessions do not change are absent. */
export type BgpPeerChanges = ReadonlyMap<string, readonly BgpPeerChange[]>;

/**
 * Every session `host` could hold with a host of the topology: the mesh's (without
 * reflectors, every other host is a peer), each also as an rr client.
 */
const possibleSessions = (topology: Topology, host: Host): BgpPeerSession[] =>
  listBgpSessions(
    {
      ...topology,
      cluster: { ...topology.cluster, bgp: { ...topology.cluster.bgp, reflectors: [] } },
    },
    host,
  ).flatMap((session) => [session, { ...session, rrClient: true }]);

/**
 * The BGP sessions each host's plan opens and closes, for a reviewer. The sessions come from
 * the compiled topology (listBgpSessions), never from reading configuration text: a session
 * is held by a configuration when its exact block, as netplan-k writes it, is in the file.
 * A host's configuration that the plan creates opens every session; one it deletes closes
 * every session of the topology it held. A session with a host that is no longer in the
 * topology cannot be named from the topology: the file's diff shows it. A closed session's
 * role is "rr client" when its block said so, else judged by the topology's reflectors now.
 */
export function listBgpPeerChanges(topology: Topology, plan: PlannedFiles): BgpPeerChanges {
  const changes = new Map<string, BgpPeerChange[]>();
  const renderBlock = sessionBlockRenderer(topology);
  for (const hostPlan of plan.hosts) {
    const host = topology.hosts.find((h) => h.name === hostPlan.host);
    const file = hostPlan.changes.find((c) => c.kind === "file" && c.key === BIRD_CONFIG_PATH);
    if (host === undefined || file === undefined) continue;
    const contentOf = (side: object | undefined): string =>
      side !== undefined && "content" in side && typeof side.content === "string"
        ? side.content
        : "";
    const before = contentOf(file.before);
    const after = contentOf(file.after);
    const holds = (content: string, session: BgpPeerSession): boolean =>
      content.includes(renderBlock(session));
    const toChange = (action: BgpPeerChange["action"], session: BgpPeerSession): BgpPeerChange => ({
      action,
      peer: session.peer.name,
      address: session.address,
      role: describeBgpRole(topology, session),
    });
    // A session renders alike in both roles where the topology makes no reflector of this
    // host (a switch away from bgp): held once, named once, by its first role (the mesh's).
    const rendered = new Set<string>();
    const sessions = possibleSessions(topology, host).filter((session) => {
      const block = renderBlock(session);
      if (rendered.has(block)) return false;
      rendered.add(block);
      return true;
    });
    const hostChanges = [
      ...sessions
        .filter((s) => holds(before, s) && !holds(after, s))
        .map((s) => toChange("delete", s)),
      ...sessions
        .filter((s) => !holds(before, s) && holds(after, s))
        .map((s) => toChange("create", s)),
    ];
    if (hostChanges.length > 0) changes.set(hostPlan.host, hostChanges);
  }
  return changes;
}

/** `+ bgp peer a6 (198.51.100.16, rr client)`. */
export const formatBgpPeerChange = (change: BgpPeerChange): string =>
  `${change.action === "create" ? "+" : "-"} bgp peer ${change.peer} (${change.address}, ${change.role})`;
