import type { Mode, Transport } from "./topology-file.generated.js";

/**
 * A topology after loading: validated, defaults filled in, every block and workload address
 * resolved. This is what the compiler (src/modes) reads; it never sees the raw file.
 */
export interface Topology {
  /** Ownership marker: objects carry the alias "netplan-k:<name>". */
  readonly name: string;
  /** Path the topology was read from, for messages. */
  readonly source: string;
  readonly cluster: Cluster;
  readonly hosts: readonly Host[];
  /** The `lab:` section: present when the hosts are meant to be built here (netplan-k lab up). */
  readonly lab?: LabSpec;
}

/** A router joining lab segments: one leg per segment, each an address in CIDR form. */
export interface LabRouter {
  readonly name: string;
  readonly legs: readonly string[];
}

/** The file's `lab:` section with defaults filled in. */
export interface LabSpec {
  /** Prefix of every namespace the lab creates (`<prefix>-<host>`), so a leftover is recognisable. */
  readonly prefix: string;
  /** Run an sshd in every lab host so the ssh transport is exercised for real. */
  readonly sshd: boolean;
  readonly routers: readonly LabRouter[];
  /** Hosts built as QEMU guests (Debian's kernel) instead of namespaces; each names a host. */
  readonly guests: readonly string[];
}

export type ModeName = Mode;
export type AttachStyle = "bridge" | "routed";

/**
 * One address family's range of a cluster: the range in canonical CIDR form ("10.244.0.0/16",
 * "fd00:10:244::/56") and the prefix length of each host's block in it.
 */
export interface ClusterFamily {
  readonly cidr: string;
  readonly hostPrefix: number;
}

/**
 * The cluster as a whole. At least one of v4 and v6 is present (the loader sees to it): an
 * IPv4 cluster has v4, a dual-stack one both, an IPv6-only one v6.
 */
export interface Cluster {
  /** The IPv4 range and block size (hostPrefix, default 24). */
  readonly v4?: ClusterFamily;
  /** The IPv6 range and block size (hostPrefixV6, default 64). */
  readonly v6?: ClusterFamily;
  readonly mode: ModeName;
  readonly attach: AttachStyle;
  /** Underlay MTU; overlays subtract their encapsulation overhead from it. */
  readonly mtu: number;
  readonly vxlan: { readonly vni: number; readonly port: number; readonly directRouting: boolean };
  readonly ipip: { readonly crossSubnet: boolean };
  /** reflectors: host names; empty means a full node-to-node mesh. */
  readonly bgp: { readonly asn: number; readonly reflectors: readonly string[] };
}

/**
 * A host. It has a HostFamily for exactly the families its cluster has (the loader sees to
 * it): v4 in an IPv4 or dual-stack cluster, v6 in a dual-stack or IPv6-only one.
 */
export interface Host {
  readonly name: string;
  readonly interface: string;
  /** The IPv4 underlay and block. */
  readonly v4?: HostFamily;
  /** The IPv6 underlay and block. */
  readonly v6?: HostFamily;
  readonly transport: ResolvedTransport;
  readonly workloads: readonly Workload[];
}

/**
 * A workload. It has an address of exactly the families its cluster has (the loader sees
 * to it), each explicit or allocated.
 */
export interface Workload {
  readonly name: string;
  /** The IPv4 address without prefix ("10.244.1.2"). */
  readonly ipV4?: string;
  readonly ipV4Allocated?: boolean;
  /** The IPv6 address, compressed, without prefix ("fd00:10:244:1::2"). */
  readonly ipV6?: string;
  readonly ipV6Allocated?: boolean;
}

/** A host's underlay and block in one address family. */
export interface HostFamily {
  /** Underlay address without prefix, compressed: "192.168.64.5", "2001:db8:64::5". */
  readonly underlayIp: string;
  /** Underlay subnet, canonical CIDR; equal subnets = same segment. */
  readonly underlaySubnet: string;
  readonly underlayPrefix: number;
  /** This host's block, canonical CIDR ("10.244.1.0/24", "fd00:10:244:1::/64"), explicit or allocated. */
  readonly podCidr: string;
  /** True when podCidr came from the allocator rather than the file. */
  readonly podCidrAllocated: boolean;
}

/**
 * Transport with defaults applied (ssh host defaults to the underlay address: the IPv4 one,
 * or the IPv6 one in an IPv6-only cluster).
 */
export type ResolvedTransport =
  | (Extract<Transport, { kind: "ssh" }> & { readonly host: string })
  | Extract<Transport, { kind: "local" }>
  | Extract<Transport, { kind: "netns" }>;
