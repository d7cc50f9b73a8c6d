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

export interface Cluster {
  /** The IPv4 range, canonical CIDR. */
  readonly cidr: string;
  readonly hostPrefix: number;
  /** The IPv6 range of a dual-stack cluster, canonical CIDR ("fd00:10:244::/56"). */
  readonly cidrV6?: string;
  /** Prefix length of each host's IPv6 block (set when cidrV6 is). */
  readonly hostPrefixV6?: number;
  readonly mode: ModeName;
  readonly attach: AttachStyle;
  /** Underlay MTU; overlays subtract their encapsulation overhead from it. */
  readonly mtu: number;
  readonly vxlan: { readonly vni: number; readonly port: number; readonly directRouting: boolean };
  readonly ipip: { readonly crossSubnet: boolean };
  /** reflectors: host names; empty means a full node-to-node mesh. */
  readonly bgp: { readonly asn: number; readonly reflectors: readonly string[] };
}

export interface Host {
  readonly name: string;
  /** Underlay address without prefix, e.g. "192.168.64.5". */
  readonly underlayIp: string;
  /** Underlay subnet in canonical CIDR form, e.g. "192.168.64.0/24"; equal subnets = same segment. */
  readonly underlaySubnet: string;
  /** Underlay prefix length, e.g. 24. */
  readonly underlayPrefix: number;
  readonly interface: string;
  /** This host's block, canonical CIDR ("10.244.1.0/24"), explicit or allocated. */
  readonly podCidr: string;
  /** True when podCidr came from the allocator rather than the file. */
  readonly podCidrAllocated: boolean;
  /** The IPv6 side, present exactly when the cluster has cidrV6 (the loader sees to it). */
  readonly v6?: HostV6;
  readonly transport: ResolvedTransport;
  readonly workloads: readonly Workload[];
}

export interface Workload {
  readonly name: string;
  /** Address without prefix, explicit or allocated. */
  readonly ip: string;
  readonly ipAllocated: boolean;
  /** The IPv6 address (compressed, without prefix), present exactly when the cluster has cidrV6. */
  readonly ipV6?: string;
  readonly ipV6Allocated?: boolean;
}

/** A host's IPv6 underlay and block in a dual-stack cluster. */
export interface HostV6 {
  /** Underlay address without prefix, compressed: "2001:db8:64::5". */
  readonly underlayIp: string;
  /** Underlay subnet, canonical CIDR; equal subnets = same segment. */
  readonly underlaySubnet: string;
  readonly underlayPrefix: number;
  /** This host's IPv6 block, canonical CIDR ("fd00:10:244:1::/64"), explicit or allocated. */
  readonly podCidr: string;
  readonly podCidrAllocated: boolean;
}

/** Transport with defaults applied (ssh host defaults to the underlay address). */
export type ResolvedTransport =
  | (Extract<Transport, { kind: "ssh" }> & { readonly host: string })
  | Extract<Transport, { kind: "local" }>
  | Extract<Transport, { kind: "netns" }>;
