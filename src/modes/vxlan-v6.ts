/**
 * Mode vxlan's IPv6 side in a dual-stack cluster (flannel's IPv6 VTEP).
 *
 * Design notes. flannel carries IPv6 over a second VTEP, `flannel-v6.<vni>`, with the same
 * VNI and port as the IPv4 one over the host's IPv6 underlay; the kernel keeps one UDP socket
 * per family, so both devices coexist (measured on namespaces here). Its objects mirror the
 * IPv4 VTEP's, family for family:
 *
 * Per host:
 *   - link `flannel-v6.<vni>` type vxlan id <vni> local <IPv6 underlay> dev <underlay-if>
 *     dstport <port> nolearning, MTU cluster.mtu - 70 (the outer IPv6 header is 40 bytes, 20
 *     more than IPv4's), MAC vtep6Mac(T, host), up, alias;
 *   - address `<block6 network>/128` on it (the peers' next hop for this host's IPv6 block).
 * Per peer P reached through the VTEP:
 *   - route     `P.block6 via P.network6 dev flannel-v6.<vni> onlink proto 77 metric 1024`;
 *   - neighbour `P.network6 lladdr vtep6Mac(T, P) dev flannel-v6.<vni> nud permanent`;
 *   - fdb       `vtep6Mac(T, P) dev flannel-v6.<vni> dst P.v6.underlayIp self permanent`.
 * With directRouting, a peer on the host's own IPv6 segment gets the IPv6 host-gw route
 * instead, and no neighbour or fdb entry: the choice is made per family.
 */
import type { FdbEntry, Link, Neighbour, Route } from "../model/index.js";
import { describeBlock6 } from "./block.js";
import type { NetContribution } from "./contribution.js";
import type { HostContext } from "./host-context.js";
import { vtep6Mac, vtep6Name } from "./naming.js";
import { choosePeerPath, directRoute6 } from "./peer-path.js";
import { gatewayRoute6 } from "./routes.js";

/** An outer Ethernet (14), IPv6 (40), UDP (8) and VXLAN (8) header. */
export const VXLAN_V6_OVERHEAD = 70;

/**
 * The IPv6 VTEP and every peer's entries on it; nothing for a host without an IPv6 side (an
 * IPv4 cluster).
 */
export function compileVxlanV6({ topology, host, peers, alias }: HostContext): NetContribution {
  const own = host.v6;
  if (own === undefined) return {};
  const { vni, port, directRouting } = topology.cluster.vxlan;
  const vtep = vtep6Name(vni);
  const link: Link = {
    name: vtep,
    kind: "vxlan",
    mtu: topology.cluster.mtu - VXLAN_V6_OVERHEAD,
    up: true,
    mac: vtep6Mac(topology.name, host.name),
    alias,
    vxlan: { id: vni, local: own.underlayIp, dev: host.interface, port, learning: false },
  };
  const routes: Route[] = [];
  const neighbours: Neighbour[] = [];
  const fdb: FdbEntry[] = [];
  for (const peer of peers) {
    const side = peer.v6;
    if (side === undefined) continue;
    if (choosePeerPath(own, side, directRouting) === "direct") {
      routes.push(directRoute6(host, side));
      continue;
    }
    const network = describeBlock6(side.podCidr).network;
    const mac = vtep6Mac(topology.name, peer.name);
    routes.push(gatewayRoute6(side.podCidr, network, vtep, true));
    neighbours.push({ dev: vtep, dst: network, lladdr: mac, permanent: true });
    fdb.push({ dev: vtep, mac, dst: side.underlayIp });
  }
  return {
    links: [link],
    addresses: [{ dev: vtep, cidr: `${describeBlock6(own.podCidr).network}/128` }],
    routes,
    neighbours,
    fdb,
  };
}
