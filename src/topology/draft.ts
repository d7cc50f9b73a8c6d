import type { Address4, Address6 } from "ip-address";
import type { ModeName } from "./topology.js";
import type { Path } from "./path.js";

/**
 * The topology as far as it is well-formed: every field the semantic checks need, present
 * only when the schema accepted it and it parsed. Checks run on a draft of a file with
 * errors too, so one run reports schema and semantic problems together.
 */

/** A usable value and where it came from. */
export interface Field<T> {
  readonly value: T;
  readonly path: Path;
}

/** A field whose absence means something (allocate it): absent, given but unusable, or given. */
export type Given<T> = Field<T> | "absent" | "invalid";

export interface DraftTopology {
  readonly cluster: DraftCluster;
  readonly hosts: readonly DraftHost[];
  readonly routers: readonly DraftRouter[];
  /** `lab.guests`: host names, each to be built as a QEMU guest. */
  readonly guests: readonly Field<string>[];
  /** `lab.sshd` as written (guests need it). */
  readonly labSshd?: Field<boolean>;
}

export interface DraftCluster {
  /** The IPv4 range: a network (no host bits set). */
  readonly cidr?: Field<Address4>;
  /** The IPv6 range, when cluster.cidr lists one: a network. */
  readonly cidrV6?: Field<Address6>;
  /** Where cluster.cidr is written, for messages about the cluster's families. */
  readonly cidrPath?: Path;
  /** The families cluster.cidr writes (usable or not); set with cidrPath. */
  readonly cidrFamilies?: Families;
  /** Given or the default 64; undefined when the given value is unusable. */
  readonly hostPrefixV6?: number;
  readonly hostPrefixV6Path?: Path;
  /** Given or the default 24; undefined when the given value is unusable. */
  readonly hostPrefix?: number;
  /** Set when hostPrefix was written, to point messages at it. */
  readonly hostPrefixPath?: Path;
  readonly mode?: Field<ModeName>;
  /** Given or the default 1500; path set when written. */
  readonly mtu?: number;
  readonly mtuPath?: Path;
  readonly vni?: Field<number>;
  /** The mode sections that were written (cluster.vxlan, cluster.ipip, cluster.bgp). */
  readonly sections: readonly Field<"vxlan" | "ipip" | "bgp">[];
  readonly reflectors: readonly Field<string>[];
}

export interface DraftHost {
  readonly path: Path;
  readonly name?: Field<string>;
  /** The IPv4 underlay address with its subnet's prefix length. */
  readonly address?: Field<Address4>;
  /** The IPv6 underlay address with its subnet's prefix length. */
  readonly addressV6?: Field<Address6>;
  /** Where `address` is written, for messages about a family it lacks. */
  readonly addressPath?: Path;
  /** The families `address` writes (usable or not); set with addressPath. */
  readonly addressFamilies?: Families;
  /** A network (no host bits set). */
  readonly podCidr: Given<Address4>;
  readonly podCidrV6: Given<Address6>;
  readonly workloads: readonly DraftWorkload[];
}

export interface DraftWorkload {
  readonly path: Path;
  readonly name?: Field<string>;
  readonly ip: Given<Address4>;
  readonly ipV6: Given<Address6>;
}

export interface DraftRouter {
  readonly path: Path;
  readonly name?: Field<string>;
  /** The IPv4 legs: each on one segment. */
  readonly legs: readonly Field<Address4>[];
  /** The IPv6 legs of a dual-stack lab: each on the IPv6 subnet of one segment's hosts. */
  readonly legsV6: readonly Field<Address6>[];
}

/** Which address families a field writes. */
export interface Families {
  readonly v4: boolean;
  readonly v6: boolean;
}

/** The ids the allocator and the checks share: a host's index, a workload's "host/index". */
export const workloadId = (hostIndex: number, workloadIndex: number): string =>
  `${hostIndex}/${workloadIndex}`;
