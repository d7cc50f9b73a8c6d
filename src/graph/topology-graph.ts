/**
 * The picture of a topology as data: hosts grouped by underlay segment, the routers joining
 * segments, and the path traffic takes between hosts. Built from the compiled desired state
 * (build-topology-graph.ts), painted with marks (live reachability, plan changes) and turned
 * into mermaid or dot text by the renderers. Plain values: no renderer decides anything.
 */

/**
 * How one host reaches another host's block, as the compiled state says: the host-gw route
 * over the underlay ("direct"), the vxlan or ipip device, or a route BIRD learns ("bgp").
 */
export type PathKind = "direct" | "vxlan" | "ipip" | "bgp";

export interface HostPath {
  readonly kind: PathKind;
  /**
   * bgp only: the route reflectors the peer's block is learned through, sorted by name;
   * empty when the host has a session with the peer itself (mesh, or a reflector involved).
   */
  readonly reflectors: readonly string[];
}

/**
 * What a graph can say about a host or a path besides its shape: what verify found
 * (reachable, failing) or what a plan does to it (new, changed, removed).
 */
export type Mark = "reachable" | "failing" | "new" | "changed" | "removed";

export interface GraphWorkload {
  readonly name: string;
  readonly ip: string;
}

export interface GraphHost {
  readonly name: string;
  readonly underlayIp: string;
  readonly block: string;
  /** "route reflector" in mode bgp with reflectors; absent otherwise. */
  readonly role?: string;
  readonly workloads: readonly GraphWorkload[];
  readonly mark?: Mark;
}

/** Hosts whose underlay addresses share one subnet: one L2 hop between any two of them. */
export interface GraphSegment {
  readonly subnet: string;
  readonly hosts: readonly GraphHost[];
}

/** A lab router; `subnet` of each leg names the segment it joins. */
export interface GraphRouter {
  readonly name: string;
  readonly legs: readonly { readonly address: string; readonly subnet: string }[];
}

/** The traffic between two hosts: `forward` is a → b, `backward` b → a. */
export interface PairEdge {
  readonly kind: "pair";
  readonly a: string;
  readonly b: string;
  readonly forward: HostPath;
  readonly backward: HostPath;
  readonly mark?: Mark;
}

/**
 * Every host pair between two segments (or inside one, when a = b), counted per path label:
 * what a graph shows instead of one edge per pair once a cluster is too big for that.
 */
export interface SegmentEdge {
  readonly kind: "segments";
  readonly a: string;
  readonly b: string;
  readonly paths: readonly { readonly label: string; readonly pairs: number }[];
  readonly mark?: Mark;
}

/** A host's route to a block that no host of the topology owns any more, removed by a plan. */
export interface RemovedPath {
  readonly host: string;
  readonly block: string;
}

export interface TopologyGraph {
  readonly topology: string;
  /** "vxlan", "vxlan with directRouting", "bgp with route reflectors", ... */
  readonly mode: string;
  readonly segments: readonly GraphSegment[];
  readonly routers: readonly GraphRouter[];
  /** Pair edges up to PAIR_EDGE_HOST_LIMIT hosts, segment edges past it. */
  readonly edges: readonly (PairEdge | SegmentEdge)[];
  readonly removed: readonly RemovedPath[];
}
