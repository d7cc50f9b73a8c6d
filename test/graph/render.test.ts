import { describe, expect, it } from "vitest";
import {
  buildTopologyGraph,
  GraphError,
  renderDot,
  renderMermaid,
  renderSvg,
  type GraphMarks,
} from "../../src/graph/index.js";
import { compileTopology } from "../../src/modes/compile.js";
import { bigTopology } from "./big-topology.js";
import { dotErrors, parseMermaid } from "./check-syntax.js";
import { exampleGraph } from "./example-graph.js";

const liveMarks: GraphMarks = {
  hosts: new Map([["a-1", "failing"]]),
  pairs: new Map([
    ["a-1 a-2", "failing"],
    ["a-1 b-1", "reachable"],
    ["a-2 b-1", "reachable"],
  ]),
  removed: [],
};

describe("renderMermaid", () => {
  it("colours marked edges by their index (router legs count) and names the mark in the label", async () => {
    const text = renderMermaid(await exampleGraph("lab-vxlan-direct", { marks: liveMarks }));
    expect(text).toContain('  h0 ---|"direct (failing)"| h1\n');
    expect(text).toContain("  linkStyle 2 stroke:#c62828,stroke-width:3px\n");
    expect(text).toContain("  linkStyle 3,4 stroke:#2e7d32,stroke-width:3px\n");
    expect(text).toContain("  class h0 failing\n");
    await parseMermaid(text);
  });

  it("draws removed blocks and segment edges that mermaid accepts", async () => {
    const topology = bigTopology(5);
    const marks: GraphMarks = {
      hosts: new Map(),
      pairs: new Map([
        ["n0-0 n1-0", "changed"],
        ["n0-0 n0-1", "failing"],
      ]),
      removed: [{ host: "n0-0", block: "10.9.250.0/24" }],
    };
    const text = renderMermaid(buildTopologyGraph(topology, compileTopology(topology), { marks }));
    expect(text).toContain('  subgraph s0["segment 192.0.2.0/24: 10 pairs direct"]\n');
    expect(text).toContain('  s0 ---|"25 pairs vxlan (changed)"| s1\n');
    expect(text).toContain('  x0["removed block 10.9.250.0/24"]\n');
    expect(text).toContain('  h0 -.-|"removed"| x0\n');
    expect(text).toContain("  style s0 stroke:#c62828,stroke-width:3px\n");
    await parseMermaid(text);
  });
});

describe("renderDot and renderSvg", () => {
  it("lay out marked, aggregated and removed graphs without a Graphviz error or warning", async () => {
    const topology = bigTopology(5);
    const big = buildTopologyGraph(topology, compileTopology(topology), {
      marks: {
        hosts: new Map(),
        pairs: new Map([["n0-0 n0-1", "failing"]]),
        removed: [{ host: "n1-1", block: "10.9.250.0/24" }],
      },
    });
    const dot = renderDot(big);
    expect(dot).toContain(
      '[label="segment 192.0.2.0/24: 10 pairs direct", style=rounded, color="#c62828"',
    );
    expect(await dotErrors(dot)).toEqual([]);
    const marked = renderDot(await exampleGraph("lab-vxlan-direct", { marks: liveMarks }));
    expect(marked).toContain('h0 -- h1 [label="direct (failing)", style=solid, color="#c62828"');
    expect(await renderSvg(marked)).toMatch(/^<\?xml[\s\S]*<svg[\s\S]*direct \(failing\)/);
  });

  it("reports what Graphviz refused", async () => {
    await expect(renderSvg("graph {")).rejects.toThrow(GraphError);
    await expect(renderSvg("graph {")).rejects.toThrow(/^Graphviz refused the graph: syntax error/);
  });
});
