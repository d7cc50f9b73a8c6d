import type { Host } from "./topology.js";

/**
 * Two hosts share a segment when their underlay addresses are in one IP subnet: they reach
 * each other in one L2 hop, which host-gw and bgp next hops need (MODES.md).
 */
export const isSameSegment = (a: Host, b: Host): boolean => a.underlaySubnet === b.underlaySubnet;
