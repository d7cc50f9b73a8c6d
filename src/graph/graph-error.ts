import type { Host, HostFamily } from "../topology/topology.js";
import { NetplanError, type NetplanErrorOptions } from "../model/netplan-error.js";

/**
 * Why a graph could not be made. Stable codes:
 * - graph.incomplete-state: the compiled desired state does not say how a host reaches a peer's block
 *   (a compiler bug: every mode gives every peer a route or a BGP session);
 * - graph.render-failed: Graphviz refused the dot text it was given (a renderer bug);
 * - graph.family-unsupported: the graph draws a cluster's IPv4 paths, and an IPv6-only cluster has none.
 */
export type GraphErrorCode =
  "graph.incomplete-state" | "graph.render-failed" | "graph.family-unsupported";

export class GraphError extends NetplanError {
  override readonly name = "GraphError";
  declare readonly code: GraphErrorCode;
  constructor(code: GraphErrorCode, message: string, options?: NetplanErrorOptions) {
    super(code, message, options);
  }
}

/**
 * A host's IPv4 side, which the graph draws (segments are IPv4 subnets, paths lead to IPv4
 * blocks). Throws GraphError graph.family-unsupported for a host without one: an IPv6-only cluster.
 */
export function graphedSide(host: Host): HostFamily {
  if (host.v4 === undefined) {
    throw new GraphError(
      "graph.family-unsupported",
      `host ${host.name} has no IPv4 side: the graph draws IPv4 segments and paths only, and cannot draw an IPv6-only cluster yet`,
    );
  }
  return host.v4;
}
