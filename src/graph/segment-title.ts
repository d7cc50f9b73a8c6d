import type { SegmentEdge, TopologyGraph } from "./topology-graph.js";

/** The counts of a segment edge: "vxlan: 12 pairs, direct: 3 pairs". */
export const describeSegmentEdge = (edge: SegmentEdge): string =>
  edge.paths.map((p) => `${p.label}: ${p.pairs} ${p.pairs === 1 ? "pair" : "pairs"}`).join(", ");

/**
 * A segment's title: its subnet, and in a graph with segment edges the pairs inside it
 * ("segment 192.0.2.0/24 · inside: direct: 45 pairs"), which need no edge of their own.
 */
export function segmentTitle(graph: TopologyGraph, subnet: string): string {
  const inside = insideEdge(graph, subnet);
  const title = `segment ${subnet}`;
  return inside === undefined ? title : `${title} · inside: ${describeSegmentEdge(inside)}`;
}

/** The segment edge that counts the pairs inside one segment, when the graph has one. */
export const insideEdge = (graph: TopologyGraph, subnet: string): SegmentEdge | undefined =>
  graph.edges.find(
    (e): e is SegmentEdge => e.kind === "segments" && e.a === subnet && e.b === subnet,
  );
