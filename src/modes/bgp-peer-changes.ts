import {
  describeBgpRole,
  listBgpSessions,
  sessionBlockRenderer,
  type BgpPeerRole,
  type BgpPeerSession,
} from "./bird-config.js";
import { BIRD_CONFIG_PATH } from "./naming.js";
import type { Host, Topology } from "../topology/topology.js";
import { isBirdProtocolDown, type ManagedFile, type Service } from "../model/index.js";

/**
 * A BGP session a plan opens, closes or repairs on one host: `+ bgp peer a6 (198.51.100.16, rr
 * client)`. "edit": the host's file holds the session, but not as netplan-k writes it (edited
 * by hand: a `disabled;` line added, say); "enable": BIRD holds it down (`birdc disable`).
 */
export interface BgpPeerChange {
  readonly action: "create" | "delete" | "edit" | "enable";
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
      readonly before?: Partial<ManagedFile> | Partial<Service> | object;
      readonly after?: Partial<ManagedFile> | Partial<Service> | object;
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
    if (host === undefined) continue;
    const file = hostPlan.changes.find((c) => c.kind === "file" && c.key === BIRD_CONFIG_PATH);
    const service = hostPlan.changes.find((c) => c.kind === "service");
    const enabled = new Set(service === undefined ? [] : enabledProtocols(service));
    const contentOf = (side: object | undefined): string =>
      side !== undefined && "content" in side && typeof side.content === "string"
        ? side.content
        : "";
    const before = contentOf(file?.before);
    const after = contentOf(file?.after);
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
    const closed = sessions.filter((s) => holds(before, s) && !holds(after, s));
    const opened = sessions.filter((s) => !holds(before, s) && holds(after, s));
    // A session the file holds with a line netplan-k never writes in a session's block, and
    // that this plan does not close in another form: its block was edited on the host. (A
    // block netplan-k wrote for other settings, another AS or cluster id, is not an edit.)
    const isEdited = (s: BgpPeerSession): boolean =>
      file !== undefined &&
      !closed.some((c) => c.protocol === s.protocol) &&
      hasForeignSessionLine(before, s.protocol);
    const current = listBgpSessions(topology, host);
    const hostChanges = [
      ...closed.map((s) => toChange("delete", s)),
      ...opened.map((s) => toChange(isEdited(s) ? "edit" : "create", s)),
      ...current
        .filter((s) => enabled.has(s.protocol) && !opened.some((o) => o.protocol === s.protocol))
        .map((s) => toChange("enable", s)),
    ];
    if (hostChanges.length > 0) changes.set(hostPlan.host, hostChanges);
  }
  return changes;
}

/** The lines renderSession writes in a session's block, whatever the settings. */
const SESSION_LINES = [
  /^protocol bgp \w+ from \w+ \{$/,
  /^ {2}neighbor \S+ as \d+;$/,
  /^ {2}rr client;$/,
  /^ {2}rr cluster id \S+;$/,
  /^\}$/,
];

/** Whether `content` holds the block of session `protocol` with a line netplan-k never writes. */
function hasForeignSessionLine(content: string, protocol: string): boolean {
  const start = content.indexOf(`\nprotocol bgp ${protocol} `);
  if (start === -1) return false;
  const end = content.indexOf("\n}", start + 1);
  const block = content.slice(start + 1, end === -1 ? undefined : end + 2).split("\n");
  return block.some((line) => !SESSION_LINES.some((pattern) => pattern.test(line)));
}

/**
 * The protocols a service change enables: the ones its desired side wants up and its observed
 * side holds down (the applier's `birdc enable`, planner/diff-host-level.ts).
 */
function enabledProtocols(change: { readonly before?: object; readonly after?: object }): string[] {
  const protocolsOf = (side: object | undefined) =>
    side !== undefined && "protocols" in side && Array.isArray(side.protocols)
      ? (side.protocols as NonNullable<Service["protocols"]>)
      : [];
  const down = new Set(
    protocolsOf(change.before)
      .filter(isBirdProtocolDown)
      .map((p) => p.name),
  );
  return protocolsOf(change.after)
    .filter((protocol) => !isBirdProtocolDown(protocol) && down.has(protocol.name))
    .map((protocol) => protocol.name);
}

const SYMBOLS: Readonly<Record<BgpPeerChange["action"], string>> = {
  create: "+",
  delete: "-",
  edit: "~",
  enable: "~",
};

const DETAILS: Readonly<Record<BgpPeerChange["action"], string>> = {
  create: "",
  delete: "",
  edit: `: its block in ${BIRD_CONFIG_PATH} was edited on the host (the file drifted); apply writes netplan-k's back and reloads BIRD`,
  enable: ": disabled at runtime (birdc disable); apply enables it",
};

/**
 * `+ bgp peer a6 (198.51.100.16, rr client)`; a repair says what and why: `~ bgp peer node-2
 * (192.0.2.2, mesh peer): disabled at runtime (birdc disable); apply enables it`.
 */
export const formatBgpPeerChange = (change: BgpPeerChange): string =>
  `${SYMBOLS[change.action]} bgp peer ${change.peer} (${change.address}, ${change.role})${DETAILS[change.action]}`;

/** The peer changes shown under a change of `kind`: the file's sessions, the service's enables. */
export const bgpPeerChangesUnder = (
  kind: string,
  changes: readonly BgpPeerChange[],
): readonly BgpPeerChange[] =>
  kind === "file"
    ? changes.filter((change) => change.action !== "enable")
    : kind === "service"
      ? changes.filter((change) => change.action === "enable")
      : [];
