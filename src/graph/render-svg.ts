import { instance } from "@viz-js/viz";
import { GraphError } from "./graph-error.js";

/**
 * Dot text -> SVG, laid out by Graphviz compiled to WebAssembly (@viz-js/viz): no native
 * build, no browser. Throws GraphError E_GRAPH_RENDER with Graphviz's own messages when it
 * refuses the text.
 */
export async function renderSvg(dot: string): Promise<string> {
  const viz = await instance();
  const result = viz.render(dot, { format: "svg" });
  if (result.status === "success") return result.output;
  throw new GraphError(
    "E_GRAPH_RENDER",
    `Graphviz refused the graph: ${result.errors.map((e) => e.message).join("; ")}`,
  );
}
