import type { SegmentEdge, TopologyGraph } from "./topology-graph.js";

/** The counts of a segment edge: "12 pairs vxlan, 3 pairs direct". */
export const describeSegmentEdge = (edge: SegmentEdge): string =>
  edge.paths.map((p) => `${p.pairs} ${p.pairs === 1 ? "pair" : "pairs"} ${p.label}`).join(", ");

/**
 * Titles and labels are ASCII: Graphviz has no font metrics for other characters here (it
 * warns and lays them out as spaces).
 *
 * A segment's title: its subnet, and in a graph with segment edges the pairs inside it
 * ("segment 192.0.2.0/24: 45 pairs direct"), which need no edge of their own.
 */
export function segmentTitle(graph: TopologyGraph, subnet: string): string {
  const inside = insideEdge(graph, subnet);
  const title = `segment ${subnet}`;
  return inside === undefined ? title : `${title}: ${describeSegmentEdge(inside)}`;
}

/** The segment edge that counts the pairs inside one segment, when the graph has one. */
export const insideEdge = (graph: TopologyGraph, subnet: string): SegmentEdge | undefined =>
  graph.edges.find(
    (e): e is SegmentEdge => e.kind === "segments" && e.a === subnet && e.b === subnet,
  );
