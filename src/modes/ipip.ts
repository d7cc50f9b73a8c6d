/**
 * Mode ipip (Calico's IPIP encapsulation).
 *
 * Design notes. Workload packets to a peer are wrapped in an outer IPv4 header addressed to
 * the peer's underlay address; the route's gateway is that address, reached "onlink" through
 * the tunnel device, so no neighbour or fdb entries exist.
 *
 * Per host:
 *   - link `tunl0` type ipip, MTU underlay - 20, up, alias. tunl0 is the fallback device the
 *     ipip module creates by itself; netplan-k adopts it by setting its alias;
 *   - address `<block network>/32` on it (the source of locally originated tunnelled packets).
 * Per peer P reached through the tunnel:
 *   - route `P.block via P.underlayIp dev tunl0 onlink proto 77`.
 * With crossSubnet, a peer on the host's own segment gets the host-gw route instead.
 */
import { describeBlock } from "./block.js";
import type { Mode } from "./mode.js";
import { IPIP_DEVICE } from "./naming.js";
import { choosePeerPath, directRoute } from "./peer-path.js";
import { peerSides } from "./peer-sides.js";
import { gatewayRoute } from "./routes.js";

export const ipip: Mode = {
  // An outer IPv4 header.
  overhead: 20,
  // IP-in-IP (protocol 4) encapsulates IPv4 only; Calico sends IPv6 pools over VXLAN.
  ipv6Refusal: {
    message:
      "mode ipip carries IPv4 only (IP-in-IP encapsulates IPv4 packets): it cannot carry cluster.cidr's IPv6 range",
    hint: "use mode vxlan for IPv6, as Calico does (a dual-stack cluster could instead drop its IPv6 range from cluster.cidr)",
  },
  // Every host of an ipip cluster has its IPv4 side: the loader refuses ipip for a cluster
  // with an IPv6 range, IPv6-only ones included.
  compileHost: ({ topology, host, peers, overlayMtu, alias }) => {
    const own = host.v4;
    if (own === undefined) return {};
    return {
      root: {
        links: [{ name: IPIP_DEVICE, kind: "ipip", mtu: overlayMtu, up: true, alias }],
        addresses: [{ dev: IPIP_DEVICE, cidr: `${describeBlock(own.podCidr).network}/32` }],
        routes: peerSides(peers, "v4").map((peer) =>
          choosePeerPath(own, peer, topology.cluster.ipip.crossSubnet) === "direct"
            ? directRoute(host, peer)
            : gatewayRoute(peer.podCidr, peer.underlayIp, IPIP_DEVICE, true),
        ),
      },
    };
  },
};
