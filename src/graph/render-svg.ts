import { GraphError } from "./graph-error.js";

/**
 * Dot text -> SVG, laid out by Graphviz compiled to WebAssembly (@viz-js/viz): no native
 * build, no browser. Throws GraphError graph.render-failed with Graphviz's own messages when it
 * refuses the text. The library (about 1.5 MB of JavaScript and WebAssembly) is loaded here, on
 * first use, so that no other command pays for it at start-up.
 */
export async function renderSvg(dot: string): Promise<string> {
  const { instance } = await import("@viz-js/viz");
  const viz = await instance();
  const result = viz.render(dot, { format: "svg" });
  if (result.status === "success") return result.output;
  throw new GraphError(
    "graph.render-failed",
    `Graphviz refused the graph: ${result.errors.map((e) => e.message).join("; ")}`,
  );
}
