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
 * How a bridge passes frames through one of its ports, from `ip -j -d link show`
 * (linkinfo.info_slave_data of a link whose info_slave_kind is "bridge").
 */
export interface BridgePort {
  /** The port's STP state: "forwarding", "learning", "listening", "blocking", "disabled". */
  readonly state: string;
  /** Whether the bridge learns the source MACs of frames entering through the port. */
  readonly learning: boolean;
  /** Whether frames to unknown unicast MACs are flooded out of the port. */
  readonly flood: boolean;
  /**
   * Whether the port is isolated (`bridge link set dev X isolated on`): the bridge passes no
   * frame between two isolated ports, so two workloads of one host whose ports both are cannot
   * reach each other (measured on a lab: plan said "No changes" while verify failed between
   * them). Absent: not read (a snapshot from before netplan-k read it).
   */
  readonly isolated?: boolean;
  /**
   * Whether broadcast frames are flooded out of the port; off, the workload behind it hears no
   * ARP request and IPv4 to it fails once neighbours expire (measured in namespaces). Absent:
   * not read.
   */
  readonly bcastFlood?: boolean;
  /**
   * Whether multicast frames are flooded out of the port; off, the workload behind it hears no
   * IPv6 neighbour solicitation and IPv6 to it fails (measured in namespaces). Absent: not read.
   */
  readonly mcastFlood?: boolean;
}

/**
 * A port as the kernel makes it when netplan-k enslaves a veth to a bridge without STP, and as
 * the topology's packets need it (`ip link set dev X type bridge_slave state 3 learning on
 * flood on isolated off bcast_flood on mcast_flood on` puts it back).
 */
export const FORWARDING_PORT: BridgePort = {
  state: "forwarding",
  learning: true,
  flood: true,
  isolated: false,
  bcastFlood: true,
  mcastFlood: true,
};

/**
 * Where the other end of an observed veth pair is, as `ip -j -d link show` prints it from the
 * namespace the veth is in (measured with iproute2 6.1, kernel 6.18:
 * scripts/record-veth-peer-fixtures.sh): in the same namespace, by its name ("link"); in
 * another one, by the id this namespace knows that one by ("link_netnsid") and the other end's
 * index there ("link_index"). Indexes count from 1 in every namespace, so an index alone names
 * no device: only the pair (nsid, index) does.
 */
export type VethOtherEnd =
  { readonly name: string } | { readonly nsid: number; readonly ifindex: number };

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
   * Observed bridge ports: how the bridge forwards through it. Desired ports carry it only in
   * a plan's update that puts it back (FORWARDING_PORT).
   */
  readonly port?: BridgePort;
  /**
   * Observed only: the NOARP flag (`ip link set X arp off`) on a device that otherwise speaks
   * ARP (its flags hold BROADCAST: Ethernet, a bridge, a veth, a VTEP). Such a device neither
   * resolves its neighbours nor answers their requests (measured on a lab: with it on the
   * underlay, on cni0, on a workload's eth0 or on a routed veth no packet flows). Absent when
   * the flag is off, and on devices without ARP by nature (tunl0, loopback, WireGuard).
   */
  readonly noarp?: boolean;
  /**
   * Observed bridges only: STP switched on (`info_data.stp_state` not 0). netplan-k makes its
   * bridge without STP; with it on, the kernel refuses a port's state (EBUSY) and holds new
   * ports in listening, then learning, for two forward delays.
   */
  readonly stp?: boolean;
  /**
   * Desired veths only: where the other end of the pair goes. The kernel does not report it
   * in a comparable form; the peer is checked as a link of the namespace instead.
   */
  readonly peer?: { readonly netns: string; readonly name: string };
  /** Observed veths only: the device's index in its namespace, by which its other end names it. */
  readonly ifindex?: number;
  /**
   * Observed veths only: where the other end of the pair is. Deleting either end deletes both,
   * so a stray veth is deleted only when its other end is netplan-k's too (veth-other-end.ts).
   * Absent in snapshots made before netplan-k read it.
   */
  readonly otherEnd?: VethOtherEnd;
  /**
   * Observed links other than veths and VXLAN devices: the device of the same namespace this
   * one is stacked on (a macvlan's `link X`), which `ip -j -d link show` prints as the
   * top-level "link" (measured with iproute2 6.1, kernel 6.18: scripts/record-lower-device-
   * fixtures.sh). Deleting that device deletes this one too. A VXLAN device's lower is
   * VxlanInfo.dev. Absent when the link sits on nothing, on a device of another namespace
   * (printed by nsid and index), or in snapshots made before netplan-k read it.
   */
  readonly lower?: string;
}

/** Two links with one name cannot coexist in a namespace. */
export const linkKey = (link: Link): string => link.name;
