import type { DesiredState } from "../model/index.js";
import { Address4, Address6 } from "ip-address";
import { cidrText } from "../topology/block-math.js";
import { isIpv6Text } from "../topology/parse-address.js";
import type { Topology } from "../topology/topology.js";
import { describePairEdge } from "./describe-path.js";
import { deriveHostPath } from "./derive-host-path.js";
import { graphedSide } from "./graph-error.js";
import { PAIR_EDGE_HOST_LIMIT } from "./pair-edge-host-limit.js";
import { NO_MARKS, pairKey, strongestMark, type GraphMarks } from "./graph-marks.js";
import type {
  GraphHost,
  GraphRouter,
  GraphSegment,
  PairEdge,
  SegmentEdge,
  TopologyGraph,
} from "./topology-graph.js";

export { PAIR_EDGE_HOST_LIMIT };

export interface GraphOptions {
  readonly marks?: GraphMarks;
  /** Default PAIR_EDGE_HOST_LIMIT. */
  readonly pairEdgeHostLimit?: number;
}

/**
 * Topology and its compiled desired state -> the graph: segments in the order their first host
 * appears, hosts in topology order, and per host pair the path from deriveHostPath.
 * Pure. Throws GraphError when the desired state lacks a host or a path (see deriveHostPath).
 * An IPv6-only cluster is drawn by its IPv6 segments and blocks (graphedSide).
 */
export function buildTopologyGraph(
  topology: Topology,
  desired: DesiredState,
  options: GraphOptions = {},
): TopologyGraph {
  const marks = options.marks ?? NO_MARKS;
  const reflectors = new Set(
    topology.cluster.mode === "bgp" ? topology.cluster.bgp.reflectors : [],
  );
  const segments = new Map<string, GraphHost[]>();
  for (const host of topology.hosts) {
    const mark = marks.hosts.get(host.name);
    const side = graphedSide(host);
    const hosts = segments.get(side.underlaySubnet) ?? [];
    hosts.push({
      name: host.name,
      underlayIp: side.underlayIp,
      block: side.podCidr,
      ...(reflectors.has(host.name) ? { role: "route reflector" } : {}),
      workloads: host.workloads.flatMap((w) => {
        // The address of the family drawn: IPv4, or IPv6 in an IPv6-only cluster.
        const ip = host.v4 === undefined ? w.ipV6 : w.ipV4;
        return ip === undefined ? [] : [{ name: w.name, ip }];
      }),
      ...(mark === undefined ? {} : { mark }),
    });
    segments.set(side.underlaySubnet, hosts);
  }
  const pairs: PairEdge[] = topology.hosts.flatMap((a, i) =>
    topology.hosts.slice(i + 1).map((b) => {
      const mark = marks.pairs.get(pairKey(a.name, b.name));
      return {
        kind: "pair" as const,
        a: a.name,
        b: b.name,
        forward: deriveHostPath(topology, desired, a, b),
        backward: deriveHostPath(topology, desired, b, a),
        ...(mark === undefined ? {} : { mark }),
      };
    }),
  );
  const limit = options.pairEdgeHostLimit ?? PAIR_EDGE_HOST_LIMIT;
  const segmentOf = new Map(topology.hosts.map((h) => [h.name, graphedSide(h).underlaySubnet]));
  return {
    topology: topology.name,
    mode: describeMode(topology),
    segments: [...segments].map(([subnet, hosts]): GraphSegment => ({ subnet, hosts })),
    routers: (topology.lab?.routers ?? []).map((router): GraphRouter => ({
      name: router.name,
      // An IPv6 leg (dual-stack lab) names no segment: segments are IPv4 subnets.
      legs: router.legs.map((leg) => ({
        address: leg,
        subnet: cidrText(isIpv6Text(leg) ? new Address6(leg) : new Address4(leg)),
      })),
    })),
    edges:
      topology.hosts.length <= limit
        ? pairs
        : aggregateBySegment(pairs, (host) => segmentOf.get(host) ?? ""),
    removed: marks.removed,
  };
}

/** One edge per pair of segments (a before b in segment order), counting pairs per label. */
function aggregateBySegment(
  pairs: readonly PairEdge[],
  segmentOf: (host: string) => string,
): SegmentEdge[] {
  const edges = new Map<string, { a: string; b: string; edges: PairEdge[] }>();
  for (const pair of pairs) {
    const a = segmentOf(pair.a);
    const b = segmentOf(pair.b);
    const key = `${a} ${b}`;
    const entry = edges.get(key) ?? { a, b, edges: [] };
    entry.edges.push(pair);
    edges.set(key, entry);
  }
  return [...edges.values()].map(({ a, b, edges: members }) => {
    const counts = new Map<string, number>();
    for (const edge of members) {
      const label = describePairEdge(edge);
      counts.set(label, (counts.get(label) ?? 0) + 1);
    }
    const mark = strongestMark(members.map((edge) => edge.mark));
    return {
      kind: "segments" as const,
      a,
      b,
      paths: [...counts].map(([label, count]) => ({ label, pairs: count })),
      ...(mark === undefined ? {} : { mark }),
    };
  });
}

/** The mode and the settings that change paths, for the graph's title. */
function describeMode(topology: Topology): string {
  const { mode, vxlan, ipip, bgp } = topology.cluster;
  if (mode === "vxlan" && vxlan.directRouting) return "vxlan with directRouting";
  if (mode === "ipip" && ipip.crossSubnet) return "ipip with crossSubnet";
  if (mode === "bgp") {
    return bgp.reflectors.length === 0
      ? "bgp, node-to-node mesh"
      : `bgp with route reflectors ${bgp.reflectors.join(", ")}`;
  }
  return mode;
}
