import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { markPlanChanges, renderDot, renderMermaid } from "../../src/graph/index.js";
import { compileTopology } from "../../src/modes/compile.js";
import { planTopology } from "../../src/planner/plan-topology.js";
import { dotErrors, parseMermaid } from "../graph/check-syntax.js";
import { exampleGraph, loadExample } from "../graph/example-graph.js";

// Golden graphs: every example drawn as mermaid and as dot (in process: the CLI's wiring is
// tested once, by the SVG of the README, in test/readme/readme-graph.test.ts). A change in the graph shows here
// as a diff; accept it with `npx vitest -u test/golden` (as the golden plans). The committed
// files are then checked by the real tools: dot by Graphviz, mermaid by mermaid's own parser.
const examples = readdirSync("examples")
  .filter((f) => f.endsWith(".yaml"))
  .map((f) => f.replace(/\.yaml$/, ""));
describe.each(examples)("examples/%s.yaml", (name) => {
  it("draws the golden graphs (mermaid and dot)", async () => {
    const graph = await exampleGraph(name);
    await expect(renderMermaid(graph)).toMatchFileSnapshot(`./${name}/graph.mmd`);
    await expect(renderDot(graph)).toMatchFileSnapshot(`./${name}/graph.dot`);
  });

  it("has a golden mermaid graph that mermaid parses", async () => {
    const text = readFileSync(`test/golden/${name}/graph.mmd`, "utf8");
    await expect(parseMermaid(text)).resolves.toBeUndefined();
  });

  it("draws the graph of its plan against empty hosts (plan --graph) as valid mermaid", async () => {
    const topology = await loadExample(name);
    const desired = compileTopology(topology);
    const plan = planTopology({ desired, observed: "empty", against: "empty" });
    const marks = markPlanChanges(plan, topology);
    const text = renderMermaid(await exampleGraph(name, { marks }));
    expect(text).toContain("linkStyle");
    await expect(parseMermaid(text)).resolves.toBeUndefined();
  });

  it("has a golden dot graph that Graphviz lays out without an error or a warning", async () => {
    const text = readFileSync(`test/golden/${name}/graph.dot`, "utf8");
    expect(await dotErrors(text)).toEqual([]);
  });
});

describe("the syntax checks", () => {
  it("reject broken mermaid and broken dot", async () => {
    await expect(parseMermaid('flowchart LR\n  h0["a-1] --- h1\n')).rejects.toThrow(/Parse error/);
    await expect(parseMermaid("flowchart LR\n  h0 --- h1\n  linkStyle 3 stroke:red\n")).rejects.toThrow();
    expect(await dotErrors('graph "x" {\n  h0 -- \n}\n')).not.toEqual([]);
  });
});
