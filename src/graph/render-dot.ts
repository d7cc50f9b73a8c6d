import { describePairEdge } from "./describe-path.js";
import { assignGraphIds } from "./graph-ids.js";
import { hostLabelLines } from "./host-label.js";
import { MARK_COLOURS } from "./mark-styles.js";
import { describeSegmentEdge, insideEdge, segmentTitle } from "./segment-title.js";
import type { Mark, PathKind, TopologyGraph } from "./topology-graph.js";

/** Line styles by path, as in the mermaid picture: solid direct, dashed tunnels, bold BGP. */
const STYLES: Readonly<Record<PathKind, string>> = {
  direct: "solid",
  vxlan: "dashed",
  ipip: "dashed",
  bgp: "bold",
};

/** A dot string: backslashes and double quotes escaped, lines joined with dot's "\n". */
const quote = (...lines: readonly string[]): string =>
  `"${lines.map((l) => l.replaceAll("\\", "\\\\").replaceAll('"', '\\"')).join("\\n")}"`;

const withMark = (text: string, mark: Mark | undefined): string =>
  mark === undefined ? text : `${text} (${mark})`;

const attributes = (entries: Readonly<Record<string, string | undefined>>): string =>
  `[${Object.entries(entries)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([key, value]) => `${key}=${value}`)
    .join(", ")}]`;

const markAttributes = (mark: Mark | undefined): Record<string, string> =>
  mark === undefined
    ? {}
    : { color: quote(MARK_COLOURS[mark]), fontcolor: quote(MARK_COLOURS[mark]), penwidth: "2" };

/**
 * A topology graph as Graphviz dot (undirected): one cluster per segment, a hexagon per
 * router with a dotted edge to each segment it joins (clipped at the cluster: compound), one
 * edge per host pair (or per segment pair, drawn between the segments' clusters).
 */
export function renderDot(graph: TopologyGraph): string {
  const ids = assignGraphIds(graph);
  const lines = [
    `graph ${quote(graph.topology)} {`,
    `  graph ${attributes({ rankdir: "LR", compound: "true", fontname: quote("Helvetica"), labelloc: "t", label: quote(`netplan-k graph of ${graph.topology}: ${graph.mode}`) })};`,
    `  node [shape=box, style=rounded, fontname="Helvetica", fontsize=10];`,
    `  edge [fontname="Helvetica", fontsize=9];`,
  ];
  for (const segment of graph.segments) {
    const inside = insideEdge(graph, segment.subnet);
    lines.push(`  subgraph cluster_${ids.segment.get(segment.subnet)} {`);
    lines.push(
      `    graph ${attributes({ label: quote(segmentTitle(graph, segment.subnet)), style: "rounded", ...markAttributes(inside?.mark) })};`,
    );
    for (const host of segment.hosts) {
      const [first = "", ...rest] = hostLabelLines(host);
      lines.push(
        `    ${ids.host.get(host.name)} ${attributes({ label: quote(withMark(first, host.mark), ...rest), ...markAttributes(host.mark) })};`,
      );
    }
    lines.push("  }");
  }
  graph.routers.forEach((router, i) => {
    lines.push(
      `  r${i} ${attributes({ shape: "hexagon", style: "solid", label: quote(`router ${router.name}`, ...router.legs.map((leg) => leg.address)) })};`,
    );
    for (const leg of router.legs) {
      const anchor = ids.anchor.get(leg.subnet);
      if (anchor === undefined) continue;
      lines.push(
        `  r${i} -- ${anchor} ${attributes({ lhead: `cluster_${ids.segment.get(leg.subnet)}`, style: "dotted" })};`,
      );
    }
  });
  for (const edge of graph.edges) {
    if (edge.kind === "pair") {
      lines.push(
        `  ${ids.host.get(edge.a)} -- ${ids.host.get(edge.b)} ${attributes({ label: quote(withMark(describePairEdge(edge), edge.mark)), style: STYLES[edge.forward.kind], ...markAttributes(edge.mark) })};`,
      );
    } else if (edge.a !== edge.b) {
      lines.push(
        `  ${ids.anchor.get(edge.a)} -- ${ids.anchor.get(edge.b)} ${attributes({ label: quote(withMark(describeSegmentEdge(edge), edge.mark)), ltail: `cluster_${ids.segment.get(edge.a)}`, lhead: `cluster_${ids.segment.get(edge.b)}`, ...markAttributes(edge.mark) })};`,
      );
    }
  }
  for (const [block, id] of ids.removedBlock) {
    lines.push(
      `  ${id} ${attributes({ label: quote(`removed block ${block}`), style: quote("rounded,dashed"), ...markAttributes("removed") })};`,
    );
  }
  for (const path of graph.removed) {
    lines.push(
      `  ${ids.host.get(path.host)} -- ${ids.removedBlock.get(path.block)} ${attributes({ label: quote("removed"), style: "dashed", ...markAttributes("removed") })};`,
    );
  }
  lines.push("}");
  return `${lines.join("\n")}\n`;
}
