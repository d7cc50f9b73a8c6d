import { fileHeader } from "../model/index.js";
import type { Host, Topology } from "../topology/topology.js";
import { compareAddresses } from "../topology/block-math.js";

/**
 * BIRD 2 configuration of one host in mode bgp. The text is a pure function of the topology
 * and the host: sessions are sorted by name, so the host order of the file does not matter.
 *
 * Choices, all measured with BIRD 2.0.12 (MODES.md, LAB-NOTES.md):
 * - router id: the host's underlay address; one AS for the cluster (iBGP).
 * - `protocol direct` on the underlay interface, and `direct;` on every session: iBGP
 *   sessions are multihop by default, and BIRD refuses `gateway direct` on multihop sessions
 *   ("Multihop BGP cannot use direct gateway mode"). `gateway direct` installs learned routes
 *   via the peer's underlay address without a recursive lookup, as host-gw would.
 * - `protocol kernel` exports only BGP-learned routes (they show as `proto bird`) and imports
 *   nothing; netplan-k writes the block's blackhole route itself. `scan time 1` and
 *   `connect delay time 1` cut first convergence from 5-8 s to about 1 s.
 * - `protocol static` originates the host's block as a BIRD blackhole; sessions export only
 *   that (RTS_STATIC), so the underlay prefix from `protocol direct` is never announced.
 * - Route reflectors: a reflector peers with every other host and marks non-reflectors
 *   `rr client`; it exports BGP-learned routes too, or sessions come up and nothing is
 *   reflected. A non-reflector peers with the reflectors only. All reflectors share one
 *   cluster id, the numerically lowest underlay address among them (independent of list
 *   order): redundant reflectors of one cluster drop each other's reflections of client
 *   routes, which they already have from the clients directly.
 */

/** One BGP session as this host sees it. */
export interface BgpPeerSession {
  readonly protocol: string;
  readonly peer: Host;
  readonly rrClient: boolean;
}

/** What the peer is to the host whose sessions are listed. */
export type BgpPeerRole = "rr client" | "route reflector" | "mesh peer";

/** What a session's peer is to the host that opens it, by the topology's reflectors. */
export const describeBgpRole = (topology: Topology, session: BgpPeerSession): BgpPeerRole =>
  session.rrClient
    ? "rr client"
    : topology.cluster.bgp.reflectors.includes(session.peer.name)
      ? "route reflector"
      : "mesh peer";

const TEMPLATE = "cluster_peer";

/**
 * A BIRD symbol for a peer. Host names are lower-case letters, digits and '-' (the schema's
 * Identifier); '-' is not valid in a BIRD symbol and '_' never occurs in a host name, so
 * replacing one with the other keeps names distinct. The prefix makes every name start with
 * a letter and keeps it clear of BIRD's keywords and of the other protocols' names.
 */
export const birdPeerName = (host: string): string => `peer_${host.replaceAll("-", "_")}`;

/** The sessions a host opens, by BIRD protocol name: what verify expects to be Established. */
export function listBgpSessions(topology: Topology, host: Host): BgpPeerSession[] {
  const reflectors = new Set(topology.cluster.bgp.reflectors);
  const meshed = reflectors.size === 0;
  const isReflector = reflectors.has(host.name);
  return topology.hosts
    .filter((peer) => peer.name !== host.name)
    .filter((peer) => meshed || isReflector || reflectors.has(peer.name))
    .map((peer) => ({
      protocol: birdPeerName(peer.name),
      peer,
      rrClient: isReflector && !reflectors.has(peer.name),
    }))
    .sort((a, b) => (a.protocol < b.protocol ? -1 : a.protocol > b.protocol ? 1 : 0));
}

/** The cluster id all reflectors share (see above); undefined for a mesh. */
function reflectorClusterId(topology: Topology): string | undefined {
  const reflectors = new Set(topology.cluster.bgp.reflectors);
  const addresses = topology.hosts
    .filter((host) => reflectors.has(host.name))
    .map((host) => host.underlayIp)
    .sort(compareAddresses);
  return addresses[0];
}

function renderSession(
  session: BgpPeerSession,
  asn: number,
  clusterId: string | undefined,
): string[] {
  const rrLines =
    session.rrClient && clusterId !== undefined
      ? ["  rr client;", `  rr cluster id ${clusterId};`]
      : [];
  return [
    `protocol bgp ${session.protocol} from ${TEMPLATE} {`,
    `  neighbor ${session.peer.underlayIp} as ${asn};`,
    ...rrLines,
    "}",
    "",
  ];
}

/**
 * The exact lines of one session's block in a host's configuration (as renderBirdConfig writes
 * them), so that a plan can tell whether a configuration on a host holds a given session. The
 * reflectors' cluster id is worked out once, here, not once per session: a plan asks for
 * every session of every host.
 */
export function sessionBlockRenderer(topology: Topology): (session: BgpPeerSession) => string {
  const clusterId = reflectorClusterId(topology);
  return (session) => renderSession(session, topology.cluster.bgp.asn, clusterId).join("\n");
}

export function renderBirdConfig(topology: Topology, host: Host): string {
  const { asn, reflectors } = topology.cluster.bgp;
  const isReflector = reflectors.includes(host.name);
  const role =
    reflectors.length === 0
      ? "node-to-node mesh"
      : isReflector
        ? "route reflector"
        : "route reflector client";
  const exportFilter = isReflector
    ? "where source = RTS_STATIC || source = RTS_BGP"
    : "where source = RTS_STATIC";
  const clusterId = reflectorClusterId(topology);
  return [
    fileHeader(topology.name),
    `# host ${host.name}, block ${host.podCidr}, AS ${asn}, ${role}`,
    "",
    `router id ${host.underlayIp};`,
    "",
    "protocol device {",
    "}",
    "",
    "protocol direct {",
    "  ipv4;",
    `  interface "${host.interface}";`,
    "}",
    "",
    "protocol kernel {",
    "  scan time 1;",
    "  ipv4 {",
    "    import none;",
    "    export where source = RTS_BGP;",
    "  };",
    "}",
    "",
    "protocol static {",
    "  ipv4;",
    `  route ${host.podCidr} blackhole;`,
    "}",
    "",
    `template bgp ${TEMPLATE} {`,
    `  local as ${asn};`,
    "  direct;",
    "  connect delay time 1;",
    "  ipv4 {",
    "    gateway direct;",
    "    import all;",
    `    export ${exportFilter};`,
    "  };",
    "}",
    "",
    ...listBgpSessions(topology, host).flatMap((session) => renderSession(session, asn, clusterId)),
  ].join("\n");
}
