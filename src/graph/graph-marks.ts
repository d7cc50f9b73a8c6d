import type { Mark, RemovedPath } from "./topology-graph.js";

/**
 * Marks to paint on a graph, by host name and by host pair (pairKey): what verify found or
 * what a plan changes. A host or pair without a mark is drawn plainly.
 */
export interface GraphMarks {
  readonly hosts: ReadonlyMap<string, Mark>;
  readonly pairs: ReadonlyMap<string, Mark>;
  readonly removed: readonly RemovedPath[];
}

export const NO_MARKS: GraphMarks = { hosts: new Map(), pairs: new Map(), removed: [] };

/** The key of an unordered host pair: the same for (a, b) and (b, a). */
export const pairKey = (a: string, b: string): string => (a < b ? `${a} ${b}` : `${b} ${a}`);

/** Which mark wins when several pairs share one edge: a failure first, then changes. */
const PRECEDENCE: readonly Mark[] = ["failing", "removed", "changed", "new", "reachable"];

/** The strongest of some marks (see PRECEDENCE), or undefined when there is none. */
export const strongestMark = (marks: readonly (Mark | undefined)[]): Mark | undefined =>
  PRECEDENCE.find((mark) => marks.includes(mark));
