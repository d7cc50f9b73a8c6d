import type { Address } from "./address.js";
import type { BridgeFdbEntry } from "./bridge-fdb-entry.js";
import type { ArmedRevert } from "./armed-revert.js";
import type { FdbEntry } from "./fdb-entry.js";
import type { HostChecks, HostWaits } from "./host-expectations.js";
import type { HostRequirements, KernelDriver } from "./host-requirements.js";
import type { Link } from "./link.js";
import type { ManagementPath } from "./management-path.js";
import type { ManagedFile } from "./managed-file.js";
import type { Neighbour } from "./neighbour.js";
import type { PathMtuException } from "./path-mtu-exception.js";
import type { Route } from "./route.js";
import type { RoutingRule } from "./routing-rule.js";
import type { Service } from "./service.js";
import type { Sysctl } from "./sysctl.js";

/** What one network namespace holds. */
export interface NetState {
  readonly links: readonly Link[];
  readonly addresses: readonly Address[];
  readonly routes: readonly Route[];
  readonly neighbours: readonly Neighbour[];
  readonly fdb: readonly FdbEntry[];
  /**
   * Observed only: entries of a bridge's own table pinned by hand (BridgeFdbEntry). Absent in
   * desired state, and in observations made before netplan-k read them.
   */
  readonly bridgeFdb?: readonly BridgeFdbEntry[];
  /**
   * Observed only: the path-MTU exceptions the kernel learnt in this namespace (`ip -j route
   * show table all cache`, in the same observation). Absent in desired state, and in
   * observations made before netplan-k read them (then nothing is judged).
   */
  readonly pathMtuExceptions?: readonly PathMtuException[];
}

/** A workload: a named network namespace on a host. `owner` comes from its lo's alias. */
export interface NamespaceState {
  readonly name: string;
  readonly owner?: string;
  /**
   * Observed only: the id the host's own namespace knows this one by (`ip -j netns list`,
   * "id"), which a host link's VethOtherEnd names. Absent when the kernel gave it none (no
   * link of the host has its other end here), and in snapshots made before netplan-k read it.
   */
  readonly nsid?: number;
  readonly net: NetState;
  /**
   * Observed only: the namespace's policy rules of both families (`ip -n NAME -j rule show`
   * and `ip -n NAME -6 -j rule show`, in the same observation). netplan-k writes none there; absent in desired state and in observations
   * made before netplan-k read them (then only the kernel's defaults are assumed).
   */
  readonly rules?: readonly RoutingRule[];
  /**
   * Observed only: every interface's `arp_ignore` and `disable_ipv6` in the namespace, keyed
   * as the host's ("net.ipv4.conf.eth0.arp_ignore", "net.ipv6.conf.eth0.disable_ipv6"), read
   * in the same observation (the section "sysctl:<netns>"). Absent in desired state and in
   * observations made before netplan-k read them (then nothing is judged); observations made
   * before it read disable_ipv6 there have no such key (then IPv6 is taken as on).
   */
  readonly sysctls?: readonly Sysctl[];
}

/**
 * Everything netplan-k compares on one host. The same type is used for what the topology
 * asks for (desired, from src/modes) and what the host holds (observed, from src/observe).
 * Observed state holds everything found; desired state only what the tool manages.
 */
export interface HostState {
  /** The host's own network namespace. */
  readonly root: NetState;
  /** Workload namespaces, sorted by name. */
  readonly namespaces: readonly NamespaceState[];
  /** Observed: ip_forward and every interface's proxy_arp; desired: what must hold. */
  readonly sysctls: readonly Sysctl[];
  readonly files: readonly ManagedFile[];
  readonly services: readonly Service[];
  /**
   * Observed only: the policy routing rules of the host's own namespace, IPv4's then IPv6's
   * (`ip -j rule show`, `ip -6 -j rule show`), which say which tables besides main and local
   * the kernel consults for each family. Absent in desired state and in
   * observations made before netplan-k read them (then main and local are the ones consulted).
   */
  readonly rules?: readonly RoutingRule[];
}

/**
 * What an observation learns about a host besides its state (the observation script's
 * "facts" section). A fact left out is unknown, never a reason to refuse the host: snapshots
 * made before netplan-k gathered it, or a host that offers no way to tell.
 */
export interface HostFacts {
  /**
   * Whether the kernel can create links of each kind: a device of that kind exists, the
   * driver is loaded or built in (`/sys/module/X`, the kernel's config), or `modprobe -n`
   * could load it.
   */
  readonly drivers: Readonly<Partial<Record<KernelDriver, boolean>>>;
  /** `ip -V`, e.g. "iproute2-6.1.0"; "" when unknown. */
  readonly iproute2: string;
  /** `uname -r`; "" when unknown. */
  readonly kernel: string;
  /** Whether `bird` is on the host's PATH. */
  readonly bird?: boolean;
}

/** One host's observation: the state, and the facts plans depend on. */
export interface ObservedHost {
  readonly host: string;
  readonly state: HostState;
  readonly facts: HostFacts;
  /**
   * The path of the SSH session the observation ran over; absent when there was none (local
   * and netns transports) and in snapshots made before netplan-k observed it.
   */
  readonly managementPath?: ManagementPath;
  /**
   * A confirm-timeout revert armed on the host (by a run still going, or left by one that
   * crashed); absent when none is, and in snapshots made before netplan-k observed it.
   */
  readonly armedRevert?: ArmedRevert;
  /**
   * What the observation passed over on the host, one sentence each (an entry of /run/netns
   * that is not a namespace); absent when nothing was.
   */
  readonly warnings?: readonly string[];
  /**
   * Entries of /run/netns that are not network namespaces (files that are not mount points,
   * left by an `ip netns add` that did not finish), passed over by the observation: the plan
   * refuses to create a workload namespace of such a name (`ip netns add` fails "File
   * exists"). Absent when there is none, and in snapshots made before netplan-k kept them.
   */
  readonly unmountedNamespaces?: readonly string[];
}

/** Desired state of every host of a topology, in the topology's host order. */
export interface DesiredState {
  readonly topology: string;
  /**
   * The cluster CIDR: its IPv4 range, or its IPv6 range in an IPv6-only cluster. Route
   * ownership: a route is this topology's when it carries ROUTE_PROTOCOL and its destination
   * lies inside this range (or it is in an owned namespace).
   */
  readonly clusterCidr: string;
  /** The IPv6 range of a dual-stack cluster: the same ownership rule for IPv6 routes. */
  readonly clusterCidrV6?: string;
  readonly hosts: readonly DesiredHost[];
}

/** One host's part of DesiredState: its state and what the later stages need to know of it. */
export interface DesiredHost {
  readonly host: string;
  readonly state: HostState;
  /** What the host must offer before anything changes; absent, nothing is checked. */
  readonly requirements?: HostRequirements;
  /**
   * Routes a routing daemon installs for the topology (Mode.learnedRoutes): never written
   * or planned, but routed on the host, so foreign routes are judged against them too.
   */
  readonly learned?: readonly Route[];
  /** What apply waits for once the host is built; absent, nothing. */
  readonly waitFor?: HostWaits;
  /** Which checks verify runs beyond reachability; absent, none. */
  readonly checks?: HostChecks;
}

export const emptyNetState = (): NetState => ({
  links: [],
  addresses: [],
  routes: [],
  neighbours: [],
  fdb: [],
});

export const emptyHostState = (): HostState => ({
  root: emptyNetState(),
  namespaces: [],
  sysctls: [],
  files: [],
  services: [],
});
