import type { Mark } from "./topology-graph.js";

/**
 * Colours of marks, shared by the mermaid and dot renderers: green and red for what verify
 * found; for a plan, green what is new, amber what changes, red what goes.
 */
export const MARK_COLOURS: Readonly<Record<Mark, string>> = {
  reachable: "#2e7d32",
  failing: "#c62828",
  new: "#2e7d32",
  changed: "#ef6c00",
  removed: "#c62828",
};
