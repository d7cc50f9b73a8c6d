import type { HostFamily } from "./topology.js";

/**
 * Two hosts share a segment in one address family when their underlay addresses of that
 * family are in one IP subnet: they reach each other in one L2 hop, which host-gw and bgp
 * next hops need (MODES.md). Each family is judged on its own.
 */
export const isSameSegment = (a: HostFamily, b: HostFamily): boolean =>
  a.underlaySubnet === b.underlaySubnet;
