import type { DraftTopology } from "./draft.js";
import type { Finding } from "./finding.js";
import type { ModeName } from "./topology.js";

/**
 * What the loader must know of a mode to judge a file's settings. The facts belong to the
 * modes (each mode's file in src/modes holds its own); topology imports nothing of modes, so
 * the loader's caller hands them in: src/modes' `modes` registry is the catalog.
 */
export interface ModeFacts {
  /**
   * Bytes of encapsulation per packet (an outer header): the workloads' MTU is cluster.mtu
   * minus this, which the loader holds to at least 576.
   */
  readonly overhead: number;
  /**
   * Bytes of encapsulation per IPv6 packet, when more than `overhead` (vxlan: its IPv6 VTEP's
   * outer IPv6 header is 40 bytes, IPv4's 20). Absent: `overhead`.
   */
  readonly overheadV6?: number;
  /**
   * Problems of the settings only this mode reads, at their place in the file (vxlan: the
   * VTEP's name the VNI makes; host-gw and bgp: hosts off one segment). Absent: none.
   */
  checkSettings?(draft: DraftTopology): Finding[];
  /**
   * Why this mode cannot carry a dual-stack cluster's IPv6 range, said at cluster.cidr's IPv6
   * value, with what to do instead. Absent: the mode carries IPv6.
   */
  readonly ipv6Refusal?: { readonly message: string; readonly hint: string };
}

/** The facts of every mode a file may name, by the schema's mode names. */
export type ModeCatalog = Readonly<Record<ModeName, ModeFacts>>;
