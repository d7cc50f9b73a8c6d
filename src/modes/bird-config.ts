import { fileHeader } from "../model/index.js";
import type { Host, Topology } from "../topology/topology.js";
import { compareAddresses } from "../topology/block-math.js";
import { routerIdOfIpv6 } from "./router-id.js";

/**
 * BIRD 2 configuration of one host in mode bgp. The text is a pure function of the topology
 * and the host: sessions are sorted by name, so the host order of the file does not matter.
 *
 * Choices, all measured with BIRD 2.0.12 (MODES.md, LAB-NOTES.md):
 * - router id: the host's IPv4 underlay address, or in an IPv6-only cluster the low 32 bits
 *   of its IPv6 one (birdRouterId); one AS for the cluster (iBGP).
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
 *   cluster id, the numerically lowest router id among them (independent of list order):
 *   redundant reflectors of one cluster drop each other's reflections of client routes,
 *   which they already have from the clients directly.
 * - IPv6 (a dual-stack cluster): one more session per peer, between the two hosts' IPv6
 *   underlay addresses, carrying only an `ipv6` channel, as Calico's bird6 does; the IPv4
 *   session keeps carrying IPv4 only. The IPv6 side mirrors the IPv4 one: `ipv6` in
 *   `protocol direct`, a second kernel protocol and static protocol, a second template.
 *   Learned IPv6 routes go via the peer's IPv6 underlay address. Measured here with two
 *   namespaces: both sessions Established in about 1 s, `fd00:1:2::/64 via 2001:db8::2 dev
 *   eth0 proto bird metric 32`. The one-session alternative (an ipv6 channel on the IPv4
 *   session) also worked there, BIRD taking the interface's global IPv6 address as next hop,
 *   but an IPv6-only cluster has no IPv4 session to carry it: per family, one shape for both.
 *   The reflectors' cluster id is the same in both families.
 */

/** The address family a BGP session carries: its neighbor address and its one channel. */
export type BgpFamily = "ipv4" | "ipv6";

/** One BGP session as this host sees it. */
export interface BgpPeerSession {
  readonly protocol: string;
  readonly peer: Host;
  readonly family: BgpFamily;
  /** The neighbor: the peer's underlay address of the session's family. */
  readonly address: string;
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

/** The session template of each family; IPv4's name is the one IPv4 clusters always had. */
const TEMPLATES: Readonly<Record<BgpFamily, string>> = {
  ipv4: "cluster_peer",
  ipv6: "cluster_peer6",
};

/**
 * A BIRD symbol for a peer. Host names are lower-case letters, digits and '-' (the schema's
 * Identifier); '-' is not valid in a BIRD symbol and '_' never occurs in a host name, so
 * replacing one with the other keeps names distinct. The prefix makes every name start with
 * a letter and keeps it clear of BIRD's keywords and of the other protocols' names.
 */
export const birdPeerName = (host: string): string => `peer_${host.replaceAll("-", "_")}`;

/**
 * The BIRD symbol of a peer's IPv6 session: `peer6_<host>`. It cannot equal an IPv4 session's
 * name, whose sixth character is always '_'.
 */
export const birdPeerName6 = (host: string): string => `peer6_${host.replaceAll("-", "_")}`;

/**
 * The sessions a host opens, by BIRD protocol name: what verify expects to be Established.
 * One per peer and family of the cluster.
 */
export function listBgpSessions(topology: Topology, host: Host): BgpPeerSession[] {
  const reflectors = new Set(topology.cluster.bgp.reflectors);
  const meshed = reflectors.size === 0;
  const isReflector = reflectors.has(host.name);
  return topology.hosts
    .filter((peer) => peer.name !== host.name)
    .filter((peer) => meshed || isReflector || reflectors.has(peer.name))
    .flatMap((peer) => {
      const rrClient = isReflector && !reflectors.has(peer.name);
      const sessions: BgpPeerSession[] = [];
      if (peer.v4 !== undefined) {
        const protocol = birdPeerName(peer.name);
        sessions.push({ protocol, peer, family: "ipv4", address: peer.v4.underlayIp, rrClient });
      }
      if (peer.v6 !== undefined) {
        const protocol = birdPeerName6(peer.name);
        sessions.push({ protocol, peer, family: "ipv6", address: peer.v6.underlayIp, rrClient });
      }
      return sessions;
    })
    .sort((a, b) => (a.protocol < b.protocol ? -1 : a.protocol > b.protocol ? 1 : 0));
}

/**
 * BIRD's 32-bit router id of a host, in dotted form: its IPv4 underlay address, or in an
 * IPv6-only cluster the low 32 bits of its IPv6 underlay address (routerIdOfIpv6). Throws
 * for a host with neither (the loader gives every host one).
 */
export function birdRouterId(host: Host): string {
  if (host.v4 !== undefined) return host.v4.underlayIp;
  if (host.v6 === undefined) throw new Error(`host ${host.name} has no underlay address`);
  return routerIdOfIpv6(host.v6.underlayIp);
}

/** The cluster id all reflectors share (see above); undefined for a mesh. */
function reflectorClusterId(topology: Topology): string | undefined {
  const reflectors = new Set(topology.cluster.bgp.reflectors);
  const addresses = topology.hosts
    .filter((host) => reflectors.has(host.name))
    .map(birdRouterId)
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
    `protocol bgp ${session.protocol} from ${TEMPLATES[session.family]} {`,
    `  neighbor ${session.address} as ${asn};`,
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

/**
 * The template of one family's sessions: the local AS, `direct` with `gateway direct`, the
 * timers, and the one channel with the export filter of the host's role.
 */
function renderTemplate(family: BgpFamily, asn: number, exportFilter: string): string[] {
  return [
    `template bgp ${TEMPLATES[family]} {`,
    `  local as ${asn};`,
    "  direct;",
    "  connect delay time 1;",
    `  ${family} {`,
    "    gateway direct;",
    "    import all;",
    `    export ${exportFilter};`,
    "  };",
    "}",
    "",
  ];
}

/**
 * One protocol of netplan-k's configuration other than the BGP sessions: `device`, `direct`,
 * and a `kernel` and a `static` per family. The file leaves their names to BIRD, which names
 * an unnamed protocol by its type and a count of that type in file order (BIRD 2.0.12:
 * device1, direct1, kernel1 and static1 for the first family, kernel2 and static2 for the
 * second; test/planner/fixtures/bird/). Naming them in the file would change every bgp host's
 * bird.conf, and the converged fixtures recorded from it, so it is left for a change that
 * records those again.
 */
export interface BirdHostProtocol {
  /** The BIRD symbol the file names it by. */
  readonly name: string;
  /** BIRD's Proto column for it (BIRD 2.0.12, test/planner/fixtures/bird/). */
  readonly proto: "Device" | "Direct" | "Kernel" | "Static";
  /** What it does for the host, for a plan that repairs it. */
  readonly purpose: string;
}

/** The families a host has, each with its block: IPv4 first. */
const hostFamilies = (host: Host): { family: BgpFamily; block: string }[] =>
  (
    [
      ["ipv4", host.v4],
      ["ipv6", host.v6],
    ] as const
  ).flatMap(([family, side]) => (side === undefined ? [] : [{ family, block: side.podCidr }]));

/** The kernel and static protocol of the host's `index`th family (0: the first), as BIRD names them. */
const familyProtocols = (
  family: BgpFamily,
  block: string,
  index: number,
): [kernel: BirdHostProtocol, stat: BirdHostProtocol] => {
  const n = String(index + 1);
  const label = family === "ipv4" ? "IPv4" : "IPv6";
  return [
    {
      name: `kernel${n}`,
      proto: "Kernel",
      purpose: `installs the ${label} blocks learned over BGP in the kernel`,
    },
    { name: `static${n}`, proto: "Static", purpose: `announces this host's block ${block}` },
  ];
};

/** The device and direct protocols: the host's interfaces, and its underlay's addresses. */
const interfaceProtocols = (host: Host): [device: BirdHostProtocol, direct: BirdHostProtocol] => [
  { name: "device1", proto: "Device", purpose: "tells BIRD the host's interfaces" },
  {
    name: "direct1",
    proto: "Direct",
    purpose: `reads the addresses of ${host.interface}, the sessions' next hops`,
  },
];

/**
 * Every protocol but the sessions that renderBirdConfig writes for `host`, in file order:
 * the one list both the file and the plan's repairs are made from.
 */
export const listBirdHostProtocols = (host: Host): BirdHostProtocol[] => [
  ...interfaceProtocols(host),
  ...hostFamilies(host).flatMap(({ family, block }, index) =>
    familyProtocols(family, block, index),
  ),
];

/**
 * The kernel protocol and static protocol of one family: BGP-learned routes out to the
 * kernel, the host's block originated as a blackhole.
 */
function renderFamilyProtocols(family: BgpFamily, block: string): string[] {
  return [
    "protocol kernel {",
    "  scan time 1;",
    `  ${family} {`,
    "    import none;",
    "    export where source = RTS_BGP;",
    "  };",
    "}",
    "",
    "protocol static {",
    `  ${family};`,
    `  route ${block} blackhole;`,
    "}",
    "",
  ];
}

/**
 * BIRD's whole configuration for `host`: the header, the router id, the protocols of each
 * family the cluster has, then every session (listBgpSessions). An IPv4 cluster's text is
 * the one it always was, byte for byte.
 */
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
  const families = hostFamilies(host);
  return [
    fileHeader(topology.name),
    `# host ${host.name}, block ${families.map((f) => f.block).join(" and ")}, AS ${asn}, ${role}`,
    "",
    `router id ${birdRouterId(host)};`,
    "",
    "protocol device {",
    "}",
    "",
    "protocol direct {",
    ...families.map(({ family }) => `  ${family};`),
    `  interface "${host.interface}";`,
    "}",
    "",
    ...families.flatMap(({ family, block }) => renderFamilyProtocols(family, block)),
    ...families.flatMap(({ family }) => renderTemplate(family, asn, exportFilter)),
    ...listBgpSessions(topology, host).flatMap((session) => renderSession(session, asn, clusterId)),
  ].join("\n");
}
