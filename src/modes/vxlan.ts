/**
 * Mode vxlan (flannel's vxlan backend).
 *
 * Design notes. Every host has one VTEP; workload traffic to a peer is wrapped in UDP to the
 * peer's underlay address. Nothing is learned: the kernel gets every peer's entries up front,
 * which works because each VTEP's MAC is derived from topology and host name (vtepMac), so a
 * peer's entries are known without reading the peer.
 *
 * Per host:
 *   - link `flannel.<vni>` type vxlan id <vni> local <underlayIp> dev <underlay-if>
 *     dstport <port> nolearning, MTU underlay - 50, MAC vtepMac(T, host), up, alias;
 *   - address `<block network>/32` on it (the peers' next hop for this host's block).
 * Per peer P reached through the VTEP:
 *   - route     `P.block via P.network dev flannel.<vni> onlink proto 77`;
 *   - neighbour `P.network lladdr vtepMac(T, P) dev flannel.<vni> nud permanent`
 *               (resolves the onlink next hop without ARP);
 *   - fdb       `vtepMac(T, P) dev flannel.<vni> dst P.underlayIp self permanent`
 *               (tells the VTEP where to send frames for that MAC).
 * With directRouting, a peer on the host's own segment gets the host-gw route instead and no
 * neighbour or fdb entry. The IPv4 VTEP exists where the cluster has IPv4; where it has IPv6,
 * an IPv6 VTEP carries that family (vxlan-v6.ts): both in a dual-stack cluster, only the IPv6
 * one in an IPv6-only cluster.
 */
import {
  fdbKey,
  neighbourKey,
  routeKey,
  type FdbEntry,
  type Link,
  type Neighbour,
  type Route,
} from "../model/index.js";
import type { DraftTopology } from "../topology/draft.js";
import { errorAt, type Finding } from "../topology/finding.js";
import type { Host, HostFamily, Topology } from "../topology/topology.js";
import { describeBlock } from "./block.js";
import type { NetContribution } from "./contribution.js";
import type { HostContext } from "./host-context.js";
import type { Mode } from "./mode.js";
import { vtep6Name, vtepMac, vtepName } from "./naming.js";
import { choosePeerPath, directRoute } from "./peer-path.js";
import { gatewayRoute } from "./routes.js";
import { compileVxlanV6, VXLAN_V6_OVERHEAD } from "./vxlan-v6.js";

/**
 * Each host's entries on its peers' VTEPs: the route through the VTEP to its block, the
 * neighbour that resolves the route's next hop and the fdb entry that sends its MAC's frames
 * to its underlay address. The same objects on every peer (they name nothing of the peer).
 */
interface PeerEntries {
  readonly host: Host;
  /** The host's IPv4 side, which the entries are made of. */
  readonly side: HostFamily;
  readonly route: Route;
  readonly neighbour: Neighbour;
  readonly fdb: FdbEntry;
}

/** A topology's PeerEntries, in each kind's key order (assembleHostState's order). */
interface PeerTables {
  readonly byRoute: readonly PeerEntries[];
  readonly byNeighbour: readonly PeerEntries[];
  readonly byFdb: readonly PeerEntries[];
}

const inKeyOrder = (
  entries: readonly PeerEntries[],
  keyOf: (entry: PeerEntries) => string,
): PeerEntries[] =>
  entries
    .map((entry) => ({ key: keyOf(entry), entry }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map(({ entry }) => entry);

/**
 * Every host's PeerEntries, made and sorted once per topology rather than once per host and
 * peer: a thousand-host mesh would otherwise build and sort three million objects. A host
 * then lists its peers' entries in key order, so that assembleHostState finds them sorted.
 * Weakly held: gone with the topology.
 */
const peerTablesByTopology = new WeakMap<Topology, PeerTables>();

function peerTablesOf(topology: Topology): PeerTables {
  let tables = peerTablesByTopology.get(topology);
  if (tables === undefined) {
    const vtep = vtepName(topology.cluster.vxlan.vni);
    const entries = topology.hosts.flatMap((host): PeerEntries[] => {
      const side = host.v4;
      if (side === undefined) return [];
      const network = describeBlock(side.podCidr).network;
      const mac = vtepMac(topology.name, host.name);
      return [
        {
          host,
          side,
          route: gatewayRoute(side.podCidr, network, vtep, true),
          neighbour: { dev: vtep, dst: network, lladdr: mac, permanent: true },
          fdb: { dev: vtep, mac, dst: side.underlayIp },
        },
      ];
    });
    tables = {
      byRoute: inKeyOrder(entries, (entry) => routeKey(entry.route)),
      byNeighbour: inKeyOrder(entries, (entry) => neighbourKey(entry.neighbour)),
      byFdb: inKeyOrder(entries, (entry) => fdbKey(entry.fdb)),
    };
    peerTablesByTopology.set(topology, tables);
  }
  return tables;
}

/** The kernel's limit on interface names (IFNAMSIZ 16, with the terminating NUL). */
const MAX_INTERFACE_NAME = 15;

/**
 * The VTEP's name, made from cluster.vxlan.vni, must fit the kernel's limit: the IPv4 one
 * where the cluster has IPv4, the IPv6 one's longer name where it has IPv6.
 */
function checkVtepName({ cluster }: DraftTopology): Finding[] {
  if (cluster.vni === undefined) return [];
  const name = vtepName(cluster.vni.value);
  if (cluster.cidrFamilies?.v4 !== false && name.length > MAX_INTERFACE_NAME) {
    return [
      errorAt(
        cluster.vni.path,
        `cluster.vxlan.vni ${cluster.vni.value} would name the VTEP ${name}, longer than the kernel's ${MAX_INTERFACE_NAME} characters for an interface name: the VNI can be at most 9999999`,
      ),
    ];
  }
  const name6 = vtep6Name(cluster.vni.value);
  if (cluster.cidrV6 === undefined || name6.length <= MAX_INTERFACE_NAME) return [];
  const kind = cluster.cidrFamilies?.v4 === false ? "an IPv6-only" : "a dual-stack";
  return [
    errorAt(
      cluster.vni.path,
      `cluster.vxlan.vni ${cluster.vni.value} would name the IPv6 VTEP ${name6}, longer than the kernel's ${MAX_INTERFACE_NAME} characters for an interface name: in ${kind} cluster the VNI can be at most 9999`,
    ),
  ];
}

export const vxlan: Mode = {
  // An outer Ethernet (14), IPv4 (20), UDP (8) and VXLAN (8) header.
  overhead: 50,
  overheadV6: VXLAN_V6_OVERHEAD,
  checkSettings: checkVtepName,
  compileHost: (context) => {
    const v4 = compileVxlanV4(context);
    const v6 = compileVxlanV6(context);
    return {
      root: {
        links: [...(v4.links ?? []), ...(v6.links ?? [])],
        addresses: [...(v4.addresses ?? []), ...(v6.addresses ?? [])],
        routes: [...(v4.routes ?? []), ...(v6.routes ?? [])],
        neighbours: [...(v4.neighbours ?? []), ...(v6.neighbours ?? [])],
        fdb: [...(v4.fdb ?? []), ...(v6.fdb ?? [])],
      },
    };
  },
};

/**
 * The IPv4 VTEP and every peer's entries on it; nothing for a host without an IPv4 side (an
 * IPv6-only cluster).
 */
function compileVxlanV4(context: HostContext): NetContribution {
  const { topology, host, overlayMtu, alias } = context;
  const own = host.v4;
  if (own === undefined) return {};
  const { vni, port, directRouting } = topology.cluster.vxlan;
  const vtep = vtepName(vni);
  const link: Link = {
    name: vtep,
    kind: "vxlan",
    mtu: overlayMtu,
    up: true,
    mac: vtepMac(topology.name, host.name),
    alias,
    vxlan: { id: vni, local: own.underlayIp, dev: host.interface, port, learning: false },
  };
  // A peer reached directly has the host-gw route, whose key is the same, and no entry on
  // the VTEP.
  const isDirect = (peer: PeerEntries): boolean =>
    choosePeerPath(own, peer.side, directRouting) === "direct";
  const { byRoute, byNeighbour, byFdb } = peerTablesOf(topology);
  const routes: Route[] = [];
  const neighbours: Neighbour[] = [];
  const fdb: FdbEntry[] = [];
  for (const peer of byRoute) {
    if (peer.host.name === host.name) continue;
    routes.push(isDirect(peer) ? directRoute(host, peer.side) : peer.route);
  }
  for (const peer of byNeighbour) {
    if (peer.host.name !== host.name && !isDirect(peer)) neighbours.push(peer.neighbour);
  }
  for (const peer of byFdb) {
    if (peer.host.name !== host.name && !isDirect(peer)) fdb.push(peer.fdb);
  }
  return {
    links: [link],
    addresses: [{ dev: vtep, cidr: `${describeBlock(own.podCidr).network}/32` }],
    routes,
    neighbours,
    fdb,
  };
}
