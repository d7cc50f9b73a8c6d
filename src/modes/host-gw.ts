/**
 * Mode host-gw (flannel's host-gw backend).
 *
 * Design notes. No tunnel: every host routes each peer's block to the peer's underlay
 * address, which must be one L2 hop away (the loader refuses host-gw across segments).
 *
 * Per host: nothing besides what every host and the attach style get.
 * Per peer P: route `P.block via P.underlayIp dev <underlay-if> proto 77`; in a dual-stack
 * cluster also `P.block6 via P.v6.underlayIp dev <underlay-if> proto 77 metric 1024`.
 */
import { checkOneSegment } from "../topology/check-segments.js";
import type { Mode } from "./mode.js";
import { directRoute, directRoute6 } from "./peer-path.js";
import { peersV6 } from "./peers-v6.js";

export const hostGw: Mode = {
  // Unencapsulated.
  overhead: 0,
  checkSettings: checkOneSegment,
  compileHost: ({ host, peers }) => ({
    root: {
      routes: [
        ...peers.map((peer) => directRoute(host, peer)),
        ...peersV6(peers).map((peer) => directRoute6(host, peer)),
      ],
    },
  }),
};
