/**
 * Mode host-gw (flannel's host-gw backend).
 *
 * Design notes. No tunnel: every host routes each peer's block to the peer's underlay
 * address, which must be one L2 hop away (the loader refuses host-gw across segments).
 *
 * Per host: nothing besides what every host and the attach style get.
 * Per peer P, where the cluster has IPv4: route `P.block via P.v4.underlayIp dev <underlay-if>
 * proto 77`; where it has IPv6: `P.block6 via P.v6.underlayIp dev <underlay-if> proto 77 metric
 * 1024`.
 */
import { checkOneSegment } from "../topology/check-segments.js";
import type { Mode } from "./mode.js";
import { directRoute, directRoute6 } from "./peer-path.js";
import { peerSides } from "./peer-sides.js";

export const hostGw: Mode = {
  // Unencapsulated.
  overhead: 0,
  checkSettings: checkOneSegment,
  compileHost: ({ host, peers }) => ({
    root: {
      routes: [
        ...peerSides(peers, "v4").map((peer) => directRoute(host, peer)),
        ...peerSides(peers, "v6").map((peer) => directRoute6(host, peer)),
      ],
    },
  }),
};
