import { instance } from "@viz-js/viz";
import { JSDOM } from "jsdom";

/**
 * Syntax checks of rendered graphs by the real tools, for tests.
 *
 * mermaid: mermaid's own flowchart parser (the one GitHub runs) works in Node, but the
 * flowchart database sanitises every label with DOMPurify, which needs a `window` (without
 * one, `mermaid.parse` fails with "DOMPurify.addHook is not a function" on the first label).
 * jsdom supplies that window; no browser and no rendering is involved. mermaid is imported
 * only after the window exists, since DOMPurify looks for it when it is first loaded.
 * (`@mermaid-js/parser` alone covers only some diagram types, not flowcharts.)
 */
export async function parseMermaid(text: string): Promise<void> {
  const scope = globalThis as { window?: unknown };
  scope.window ??= new JSDOM("").window;
  const { default: mermaid } = await import("mermaid");
  await mermaid.parse(text);
}

/**
 * dot: laid out by Graphviz (WebAssembly). Resolves to what Graphviz complained about, errors
 * and warnings alike (a warning such as an lhead naming no cluster means a wrong picture),
 * [] when nothing.
 */
export async function dotErrors(text: string): Promise<string[]> {
  const viz = await instance();
  return viz
    .render(text, { format: "svg" })
    .errors.map((e) => `${e.level ?? "error"}: ${e.message}`);
}
