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
 * neighbour or fdb entry.
 */
import type { FdbEntry, Link, Neighbour, Route } from "../model/index.js";
import type { DraftTopology } from "../topology/draft.js";
import { errorAt, type Finding } from "../topology/finding.js";
import type { Topology } from "../topology/topology.js";
import { describeBlock } from "./block.js";
import { ipv6NotBuilt } from "./ipv6-not-built.js";
import type { Mode } from "./mode.js";
import { vtepMac, vtepName } from "./naming.js";
import { choosePeerPath, directRoute } from "./peer-path.js";
import { gatewayRoute } from "./routes.js";

/** What every peer's entries name: its block's network address and its VTEP's MAC. */
interface Vtep {
  readonly network: string;
  readonly mac: string;
}

/**
 * Every host's VTEP facts, worked out once per topology rather than once per host and peer
 * (a thousand-host mesh would hash a million MACs). Weakly held: gone with the topology.
 */
const vtepsByTopology = new WeakMap<Topology, ReadonlyMap<string, Vtep>>();

function vtepsOf(topology: Topology): ReadonlyMap<string, Vtep> {
  let vteps = vtepsByTopology.get(topology);
  if (vteps === undefined) {
    vteps = new Map(
      topology.hosts.map((host) => [
        host.name,
        { network: describeBlock(host.podCidr).network, mac: vtepMac(topology.name, host.name) },
      ]),
    );
    vtepsByTopology.set(topology, vteps);
  }
  return vteps;
}

/** The kernel's limit on interface names (IFNAMSIZ 16, with the terminating NUL). */
const MAX_INTERFACE_NAME = 15;

/** The VTEP's name, made from cluster.vxlan.vni, must fit the kernel's limit. */
function checkVtepName({ cluster }: DraftTopology): Finding[] {
  if (cluster.vni === undefined) return [];
  const name = vtepName(cluster.vni.value);
  if (name.length <= MAX_INTERFACE_NAME) return [];
  return [
    errorAt(
      cluster.vni.path,
      `cluster.vxlan.vni ${cluster.vni.value} would name the VTEP ${name}, longer than the kernel's ${MAX_INTERFACE_NAME} characters for an interface name: the VNI can be at most 9999999`,
    ),
  ];
}

export const vxlan: Mode = {
  // An outer Ethernet (14), IPv4 (20), UDP (8) and VXLAN (8) header.
  overhead: 50,
  ipv6Refusal: ipv6NotBuilt("vxlan"),
  checkSettings: checkVtepName,
  compileHost: ({ topology, host, peers, overlayMtu, alias }) => {
    const { vni, port, directRouting } = topology.cluster.vxlan;
    const vtep = vtepName(vni);
    const link: Link = {
      name: vtep,
      kind: "vxlan",
      mtu: overlayMtu,
      up: true,
      mac: vtepMac(topology.name, host.name),
      alias,
      vxlan: { id: vni, local: host.underlayIp, dev: host.interface, port, learning: false },
    };
    const routes: Route[] = [];
    const neighbours: Neighbour[] = [];
    const fdb: FdbEntry[] = [];
    const vteps = vtepsOf(topology);
    for (const peer of peers) {
      if (choosePeerPath(host, peer, directRouting) === "direct") {
        routes.push(directRoute(host, peer));
        continue;
      }
      const { network: peerNetwork, mac: peerMac } = vteps.get(peer.name) as Vtep;
      routes.push(gatewayRoute(peer.podCidr, peerNetwork, vtep, true));
      neighbours.push({ dev: vtep, dst: peerNetwork, lladdr: peerMac, permanent: true });
      fdb.push({ dev: vtep, mac: peerMac, dst: peer.underlayIp });
    }
    return {
      root: {
        links: [link],
        addresses: [{ dev: vtep, cidr: `${describeBlock(host.podCidr).network}/32` }],
        routes,
        neighbours,
        fdb,
      },
    };
  },
};
