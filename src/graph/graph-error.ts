import type { Host, HostFamily } from "../topology/topology.js";
import { NetplanError, type NetplanErrorOptions } from "../model/netplan-error.js";

/**
 * Why a graph could not be made. Stable codes:
 * - graph.incomplete-state: the compiled desired state does not say how a host reaches a peer's block
 *   (a compiler bug: every mode gives every peer a route or a BGP session);
 * - graph.render-failed: Graphviz refused the dot text it was given (a renderer bug).
 */
export type GraphErrorCode = "graph.incomplete-state" | "graph.render-failed";

export class GraphError extends NetplanError {
  override readonly name = "GraphError";
  declare readonly code: GraphErrorCode;
  constructor(code: GraphErrorCode, message: string, options?: NetplanErrorOptions) {
    super(code, message, options);
  }
}

/**
 * The side of a host the graph draws: its IPv4 side (segments are its underlay subnets, paths
 * lead to its blocks), or in an IPv6-only cluster its IPv6 side. A dual-stack cluster is drawn
 * by its IPv4 side: both families take the same kind of path between two hosts.
 */
export const graphedSide = (host: Host): HostFamily => host.v4 ?? (host.v6 as HostFamily);
