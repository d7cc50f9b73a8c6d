import type { ModeName } from "./topology.js";

/**
 * The facts of each mode that the loader checks settings against and the compiler lays out
 * with: one table, read by src/topology (check-mode-settings.ts) and src/modes (each mode's
 * `overhead`, the VTEP's name). Keyed by the schema's mode names, so a mode added to the
 * schema without an entry here does not type-check.
 */

/**
 * Bytes each mode's encapsulation adds to a packet: vxlan an outer Ethernet 14 + IPv4 20 +
 * UDP 8 + VXLAN 8 header, ipip an outer IPv4 header; host-gw and bgp route unencapsulated.
 */
export const MODE_OVERHEAD: Readonly<Record<ModeName, number>> = {
  "host-gw": 0,
  vxlan: 50,
  ipip: 20,
  bgp: 0,
};

/** VTEP of mode vxlan (flannel's name): the loader checks its length, vxlan.ts creates it. */
export const vtepName = (vni: number): string => `flannel.${vni}`;
