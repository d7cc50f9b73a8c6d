import type { Mode } from "../../src/modes/index.js";
import { peerSides } from "../../src/modes/peer-sides.js";
import { gatewayRoute } from "../../src/modes/routes.js";

/**
 * A mode that exists only in tests: every peer's block through the peer's underlay address at
 * `metric`, with an encapsulation of `overhead` bytes of its own. Registered by a test beside
 * the real modes (`{ ...modes, name: gatewayMode(...) }`), it shows that a mode needs nothing
 * outside src/modes.
 */
export const gatewayMode = (metric: number, overhead: number): Mode => ({
  overhead,
  compileHost: ({ host, peers }) => ({
    root: {
      routes: peerSides(peers, "v4").map((peer) => ({
        ...gatewayRoute(peer.podCidr, peer.underlayIp, host.interface, false),
        metric,
      })),
    },
  }),
});
