import type { TopologyGraph } from "./topology-graph.js";

/**
 * Identifiers of a graph's nodes in the rendered text: by position, never by name, so that a
 * host called `end` or `graph` cannot collide with a keyword of mermaid or dot.
 * Hosts h0.., segments s0.., routers r0.., removed blocks x0...
 */
export interface GraphIds {
  readonly host: ReadonlyMap<string, string>;
  readonly segment: ReadonlyMap<string, string>;
  readonly removedBlock: ReadonlyMap<string, string>;
  /** The first host of each segment, by subnet: where dot anchors edges to a cluster. */
  readonly anchor: ReadonlyMap<string, string>;
}

export function assignGraphIds(graph: TopologyGraph): GraphIds {
  const hosts = graph.segments.flatMap((segment) => segment.hosts);
  const blocks = [...new Set(graph.removed.map((path) => path.block))];
  const host = new Map(hosts.map((h, i) => [h.name, `h${i}`]));
  return {
    host,
    segment: new Map(graph.segments.map((s, i) => [s.subnet, `s${i}`])),
    removedBlock: new Map(blocks.map((block, i) => [block, `x${i}`])),
    // Every segment holds at least one host: segments are made from the hosts.
    anchor: new Map(graph.segments.map((s) => [s.subnet, host.get(s.hosts[0]?.name ?? "") ?? ""])),
  };
}
