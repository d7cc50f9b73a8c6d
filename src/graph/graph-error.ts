import { NetplanError, type NetplanErrorOptions } from "../model/netplan-error.js";

/**
 * Why a graph could not be made. Stable codes:
 * - E_GRAPH_STATE: the compiled desired state does not say how a host reaches a peer's block
 *   (a compiler bug: every mode gives every peer a route or a BGP session);
 * - E_GRAPH_RENDER: Graphviz refused the dot text it was given (a renderer bug).
 */
export type GraphErrorCode = "E_GRAPH_STATE" | "E_GRAPH_RENDER";

export class GraphError extends NetplanError {
  override readonly name = "GraphError";
  declare readonly code: GraphErrorCode;
  constructor(code: GraphErrorCode, message: string, options?: NetplanErrorOptions) {
    super(code, message, options);
  }
}
