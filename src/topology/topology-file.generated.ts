// Generated from schemas/topology.schema.json by scripts/generate-types.mjs (npm run generate).
// Do not edit: change the schema and regenerate.

/**
 * The range all workloads live in; each host owns one block of it. A list of an IPv4 and an IPv6 range makes the cluster dual-stack.
 *
 * @minItems 1
 * @maxItems 2
 */
export type IpCidrs = string | [string] | [string, string];
/**
 * How packets cross hosts: host-gw (flannel; routes via peers' underlay, one L2 segment), vxlan (flannel; VXLAN overlay), ipip (Calico; IP-in-IP via tunl0), bgp (Calico; BIRD announces every block, one L2 segment).
 */
export type Mode = "host-gw" | "vxlan" | "ipip" | "bgp";
/**
 * Lower-case letters, digits and '-', starting with a letter or digit, at most 32 characters.
 */
export type Identifier = string;
/**
 * The host's underlay address with its subnet, such as 192.168.64.5/24. The subnet decides which hosts share a segment. A dual-stack cluster needs one address of each family: [192.168.64.5/24, 2001:db8:64::5/64].
 *
 * @minItems 1
 * @maxItems 2
 */
export type IpCidrs1 = string | [string] | [string, string];
/**
 * This host's block of cluster.cidr, one per family of the cluster. Left out (or a family left out of the list): allocated from the host's name (the next free block when an earlier name has it); plan and apply keep the block a live host holds, so adding or removing a host never moves another's block.
 *
 * @minItems 1
 * @maxItems 2
 */
export type IpCidrs2 = string | [string] | [string, string];
/**
 * How netplan-k reaches the host: over SSH (default), on this machine (local), or inside a local network namespace (netns; labs and tests).
 */
export type Transport =
  | {
      kind: "ssh";
      /**
       * Name or address to connect to (default: the host's underlay address).
       */
      host?: string;
      port?: number;
      user?: string;
      identityFile?: string;
      proxyJump?: string;
      become?: "sudo";
    }
  | {
      kind: "local";
    }
  | {
      kind: "netns";
      /**
       * Name of the network namespace (as in ip netns list).
       */
      name: string;
    };
/**
 * Address inside the host's block, one per family of the cluster. Left out (or a family left out of the list): allocated from the workload's name.
 *
 * @minItems 1
 * @maxItems 2
 */
export type IpAddresses = string | [string] | [string, string];
/**
 * An address with its prefix length, IPv4 (192.0.2.1/24) or IPv6 (2001:db8::1/64).
 */
export type IpCidr = string;

/**
 * A netplan-k topology: hosts, their underlay, a cluster CIDR split into per-host blocks, workloads, and the mode that connects them.
 */
export interface TopologyFile {
  /**
   * Version of this file format.
   */
  apiVersion: "netplan-k/v1";
  /**
   * Name of the topology. Every kernel object the tool creates is marked with it (interface alias "netplan-k:<name>"), so two topologies can share hosts without touching each other's objects.
   */
  name: string;
  cluster: Cluster;
  defaults?: Defaults;
  /**
   * The machines (or lab namespaces) that take part.
   *
   * @minItems 1
   */
  hosts: [Host, ...Host[]];
  lab?: Lab;
}
export interface Cluster {
  cidr: IpCidrs;
  /**
   * Prefix length of each host's block (default 24).
   */
  hostPrefix?: number;
  /**
   * Prefix length of each host's IPv6 block (default 64).
   */
  hostPrefixV6?: number;
  mode: Mode;
  /**
   * How workloads hang off their host: bridge (flannel: a cni0 bridge with the block's first address) or routed (Calico: a /32 per workload routed to its veth).
   */
  attach?: "bridge" | "routed";
  /**
   * MTU of the hosts' underlay interfaces (default 1500). Tunnel devices and workload interfaces get this minus the encapsulation overhead (vxlan 50, ipip 20).
   */
  mtu?: number;
  vxlan?: {
    /**
     * VXLAN network identifier; the VTEP is named flannel.<vni> (default 1).
     */
    vni?: number;
    /**
     * UDP destination port (default 8472, flannel's).
     */
    port?: number;
    /**
     * Peers on the same underlay segment get a direct host-gw route; only peers on other segments go through the VTEP.
     */
    directRouting?: boolean;
  };
  ipip?: {
    /**
     * Calico's CrossSubnet: peers on the same underlay segment get a direct route; only peers on other segments go through tunl0.
     */
    crossSubnet?: boolean;
  };
  bgp?: {
    /**
     * The cluster's autonomous system number, one for all hosts (iBGP; default 64512).
     */
    asn?: number;
    /**
     * Host names acting as route reflectors. Empty: a full node-to-node mesh.
     */
    reflectors?: Identifier[];
  };
}
/**
 * Settings every host inherits unless it says otherwise.
 */
export interface Defaults {
  /**
   * Underlay interface name (default eth0).
   */
  interface?: string;
  ssh?: SshSettings;
}
/**
 * How to reach a host over SSH; anything left out comes from the user's ~/.ssh/config.
 */
export interface SshSettings {
  port?: number;
  /**
   * Login name.
   */
  user?: string;
  /**
   * Private key file (~ is the user's home).
   */
  identityFile?: string;
  /**
   * Jump hosts, as ssh -J takes them: [user@]host[:port], comma-separated.
   */
  proxyJump?: string;
  /**
   * Run ip and bridge through sudo when logging in as a non-root user.
   */
  become?: "sudo";
}
export interface Host {
  name: Identifier;
  address: IpCidrs1;
  /**
   * Underlay interface (default: defaults.interface, else eth0).
   */
  interface?: string;
  podCidr?: IpCidrs2;
  transport?: Transport;
  /**
   * Workloads on this host: network namespaces with one address from the host's block.
   */
  namespaces?: Workload[];
}
export interface Workload {
  /**
   * Lower-case letters, digits and '-', starting with a letter or digit, at most 32 characters.
   */
  name: string;
  ip?: IpAddresses;
}
/**
 * Build the hosts themselves on this machine as network namespaces (netplan-k lab up).
 */
export interface Lab {
  /**
   * Prefix of every lab object's name, so a leftover is recognisable (default nk).
   */
  prefix?: string;
  /**
   * Run an sshd in every lab host so the ssh transport is exercised for real.
   */
  sshd?: boolean;
  /**
   * Routers joining underlay segments: one leg (an address in CIDR form) per segment, and in a dual-stack lab also an IPv6 leg on the IPv6 subnet of each segment's hosts.
   */
  routers?: {
    name: Identifier;
    /**
     * @minItems 2
     */
    legs: [IpCidr, IpCidr, ...IpCidr[]];
  }[];
  /**
   * Hosts built as QEMU guests booting Debian's kernel instead of namespaces (for a kernel this machine lacks, such as ipip's). Needs sshd: true; each entry names a host.
   */
  guests?: Identifier[];
}
