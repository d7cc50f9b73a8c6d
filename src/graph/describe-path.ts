import type { HostPath, PairEdge } from "./topology-graph.js";

/** "direct", "vxlan", "ipip", "bgp", or "bgp via rr-1, rr-2" when learned through reflectors. */
export const describeHostPath = (path: HostPath): string =>
  path.reflectors.length === 0 ? path.kind : `${path.kind} via ${path.reflectors.join(", ")}`;

/** Whether both directions of a pair take the same path (one undirected edge suffices). */
const isSymmetric = (edge: PairEdge): boolean =>
  describeHostPath(edge.forward) === describeHostPath(edge.backward);

/** One label for both directions, or "a to b: x; b to a: y" when they differ. */
export const describePairEdge = (edge: PairEdge): string =>
  isSymmetric(edge)
    ? describeHostPath(edge.forward)
    : `${edge.a} to ${edge.b}: ${describeHostPath(edge.forward)}; ${edge.b} to ${edge.a}: ${describeHostPath(edge.backward)}`;
