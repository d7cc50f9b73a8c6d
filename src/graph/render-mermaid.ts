import { describePairEdge } from "./describe-path.js";
import { assignGraphIds } from "./graph-ids.js";
import { hostLabelLines } from "./host-label.js";
import { MARK_COLOURS } from "./mark-styles.js";
import { describeSegmentEdge, insideEdge, segmentTitle } from "./segment-title.js";
import type { Mark, PathKind, TopologyGraph } from "./topology-graph.js";

/** Line styles by path: a plain line for direct routes, dotted for tunnels, thick for BGP. */
const LINES: Readonly<Record<PathKind, string>> = {
  direct: "---",
  vxlan: "-.-",
  ipip: "-.-",
  bgp: "===",
};

/**
 * Mermaid text cannot hold a double quote inside a quoted label; mermaid's entity code stands
 * for it. Names and addresses never contain one; titles might.
 */
const quote = (text: string): string => `"${text.replaceAll('"', "#quot;")}"`;

const withMark = (text: string, mark: Mark | undefined): string =>
  mark === undefined ? text : `${text} (${mark})`;

/**
 * A topology graph as a mermaid flowchart (GitHub renders it in markdown): one subgraph per
 * segment, a hexagon per router with a dotted line to each segment it joins, one edge per
 * host pair (or per segment pair), and marks as colours with the mark's word in the label.
 */
export function renderMermaid(graph: TopologyGraph): string {
  const ids = assignGraphIds(graph);
  const lines = [`%% netplan-k graph of ${graph.topology}: ${graph.mode}`, "flowchart LR"];
  const nodeMarks = new Map<Mark, string[]>();
  const edgeMarks = new Map<Mark, number[]>();
  const segmentMarks: string[] = [];
  let edgeCount = 0;
  const addEdge = (line: string, mark: Mark | undefined): void => {
    lines.push(`  ${line}`);
    if (mark !== undefined) edgeMarks.set(mark, [...(edgeMarks.get(mark) ?? []), edgeCount]);
    edgeCount += 1;
  };

  for (const segment of graph.segments) {
    const segmentId = ids.segment.get(segment.subnet);
    lines.push(`  subgraph ${segmentId}[${quote(segmentTitle(graph, segment.subnet))}]`);
    for (const host of segment.hosts) {
      const id = ids.host.get(host.name) ?? "";
      const [first = "", ...rest] = hostLabelLines(host);
      lines.push(
        `    ${id}[${quote([`<b>${withMark(first, host.mark)}</b>`, ...rest].join("<br/>"))}]`,
      );
      if (host.mark !== undefined)
        nodeMarks.set(host.mark, [...(nodeMarks.get(host.mark) ?? []), id]);
    }
    lines.push("  end");
    const inside = insideEdge(graph, segment.subnet);
    if (inside?.mark !== undefined) {
      segmentMarks.push(
        `  style ${segmentId} stroke:${MARK_COLOURS[inside.mark]},stroke-width:3px`,
      );
    }
  }
  graph.routers.forEach((router, i) => {
    const label = [`<b>router ${router.name}</b>`, ...router.legs.map((leg) => leg.address)];
    lines.push(`  r${i}{{${quote(label.join("<br/>"))}}}`);
    for (const leg of router.legs) {
      const segmentId = ids.segment.get(leg.subnet);
      if (segmentId !== undefined) addEdge(`r${i} -.- ${segmentId}`, undefined);
    }
  });
  for (const edge of graph.edges) {
    if (edge.kind === "pair") {
      const label = quote(withMark(describePairEdge(edge), edge.mark));
      const line = LINES[edge.forward.kind];
      addEdge(`${ids.host.get(edge.a)} ${line}|${label}| ${ids.host.get(edge.b)}`, edge.mark);
    } else if (edge.a !== edge.b) {
      const label = quote(withMark(describeSegmentEdge(edge), edge.mark));
      addEdge(`${ids.segment.get(edge.a)} ---|${label}| ${ids.segment.get(edge.b)}`, edge.mark);
    }
  }
  for (const [block, id] of ids.removedBlock) {
    lines.push(`  ${id}[${quote(`removed block ${block}`)}]`);
    nodeMarks.set("removed", [...(nodeMarks.get("removed") ?? []), id]);
  }
  for (const path of graph.removed) {
    addEdge(
      `${ids.host.get(path.host)} -.-|"removed"| ${ids.removedBlock.get(path.block)}`,
      "removed",
    );
  }

  for (const [mark, nodes] of nodeMarks) {
    lines.push(`  classDef ${mark} stroke:${MARK_COLOURS[mark]},stroke-width:3px`);
    lines.push(`  class ${nodes.join(",")} ${mark}`);
  }
  lines.push(...segmentMarks);
  for (const [mark, edges] of edgeMarks) {
    lines.push(`  linkStyle ${edges.join(",")} stroke:${MARK_COLOURS[mark]},stroke-width:3px`);
  }
  return `${lines.join("\n")}\n`;
}
