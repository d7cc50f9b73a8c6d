/**
 * Mode host-gw (flannel's host-gw backend).
 *
 * Design notes. No tunnel: every host routes each peer's block to the peer's underlay
 * address, which must be one L2 hop away (the loader refuses host-gw across segments).
 *
 * Per host: nothing besides what every host and the attach style get.
 * Per peer P: route `P.block via P.underlayIp dev <underlay-if> proto 77`.
 */
import { checkOneSegment } from "../topology/check-segments.js";
import { ipv6NotBuilt } from "./ipv6-not-built.js";
import type { Mode } from "./mode.js";
import { directRoute } from "./peer-path.js";

export const hostGw: Mode = {
  // Unencapsulated.
  overhead: 0,
  ipv6Refusal: ipv6NotBuilt("host-gw"),
  checkSettings: checkOneSegment,
  compileHost: ({ host, peers }) => ({
    root: { routes: peers.map((peer) => directRoute(host, peer)) },
  }),
};
