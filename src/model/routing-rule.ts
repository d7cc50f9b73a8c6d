import type { RouteTableId } from "./route.js";

/**
 * A policy routing rule of the host's own namespace (`ip -j rule show`), reduced to what
 * decides whether the cluster's traffic can reach a table: the rule's order, its source and
 * destination selectors and the table it looks up. Other selectors (fwmark, iif, uid range,
 * ...) are not kept, only the fact that the rule has some (`selective`): such a rule may or
 * may not match the cluster's traffic.
 */
export interface RoutingRule {
  /** Lower runs first: local 0, main 32766, default 32767 on every host. */
  readonly priority: number;
  /** Source selector as CIDR; "0.0.0.0/0" for `from all`. */
  readonly from: string;
  /** Destination selector as CIDR; "0.0.0.0/0" when the rule has none. */
  readonly to: string;
  /** True when the rule also selects by something else than source and destination. */
  readonly selective: boolean;
  /** The table looked up; absent for rules that look up none (goto, blackhole, prohibit, ...). */
  readonly table?: RouteTableId;
}
