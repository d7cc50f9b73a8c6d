/** VXLAN attributes that the kernel cannot change on a live device: a change means recreate. */
export interface VxlanInfo {
  readonly id: number;
  /** Local underlay address. */
  readonly local: string;
  /** Underlay device name. */
  readonly dev: string;
  /** UDP destination port. */
  readonly port: number;
  readonly learning: boolean;
}

/**
 * A network interface. `kind` is the kernel's `linkinfo.info_kind` ("veth", "bridge",
 * "vxlan", "ipip", ...), or "" for devices without one (physical NICs, loopback).
 */
export interface Link {
  readonly name: string;
  readonly kind: string;
  readonly mtu: number;
  /** Administratively up (the UP flag), not operstate. */
  readonly up: boolean;
  /** MAC address. Desired state sets it only where the tool fixes it (VTEPs, routed veths). */
  readonly mac?: string;
  /** Interface alias: the ownership marker (see ownership.ts). */
  readonly alias?: string;
  /** Bridge this link is a port of. */
  readonly master?: string;
  readonly vxlan?: VxlanInfo;
  /**
   * Desired veths only: where the other end of the pair goes. The kernel does not report it
   * in a comparable form; the peer is checked as a link of the namespace instead.
   */
  readonly peer?: { readonly netns: string; readonly name: string };
}

/** Two links with one name cannot coexist in a namespace. */
export const linkKey = (link: Link): string => link.name;
