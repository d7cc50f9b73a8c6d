import type { Iproute2Minimum } from "./iproute2-version.js";

/**
 * What a host must offer before netplan-k changes anything on it (DESIGN.md,
 * "preconditions"). Compiled per host from the topology (src/modes/host-requirements.ts),
 * compared with the facts an observation gathers (HostFacts, and the observed underlay link
 * and addresses) by src/planner/check-preconditions.ts.
 */

/** The kernel drivers a topology can need, by the `ip link add ... type X` kind they provide. */
export const KERNEL_DRIVERS = ["bridge", "veth", "vxlan", "ipip"] as const;

export type KernelDriver = (typeof KERNEL_DRIVERS)[number];

/** The underlay interface a host routes the cluster over, as the topology declares it. */
export interface UnderlayRequirement {
  /** Interface name (`hosts[].interface`, or `defaults.interface`), e.g. "eth0". */
  readonly interface: string;
  /**
   * The declared underlay address without prefix, e.g. "192.0.2.31": the IPv4 one, or the
   * IPv6 one in an IPv6-only cluster.
   */
  readonly address: string;
  /** Its prefix length, e.g. 24. */
  readonly prefix: number;
  /** The smallest MTU the interface may have: the overlay MTU plus the encapsulation overhead. */
  readonly mtu: number;
  /** MTU of tunnel devices, cni0 and workload veths (for messages). */
  readonly overlayMtu: number;
  /** Bytes the mode adds per packet (vxlan 50, ipip 20, host-gw and bgp 0). */
  readonly overhead: number;
  /** The mode, for messages ("vxlan"). */
  readonly mode: string;
  /**
   * The declared IPv6 underlay address and prefix of a dual-stack host (hosts[].address's
   * IPv6 value), on the same interface: held to the same checks as the IPv4 one.
   */
  readonly v6?: { readonly address: string; readonly prefix: number };
}

/** Everything one host needs, compiled from the topology alongside its desired state. */
export interface HostRequirements {
  readonly underlay: UnderlayRequirement;
  /** Drivers for every kind of link the host's desired state holds, in KERNEL_DRIVERS order. */
  readonly drivers: readonly KernelDriver[];
  /** The oldest iproute2 whose JSON netplan-k reads (MINIMUM_IPROUTE2). */
  readonly iproute2: Iproute2Minimum;
  /** BIRD must be installed (mode bgp). */
  readonly bird: boolean;
}
