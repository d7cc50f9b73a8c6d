import type { RouteTableId } from "./route.js";

/**
 * What a rule does with a packet it matches, besides looking up `table` (absent: lookup).
 * `goto` jumps forward to the first rule of priority `RoutingRule.goto` (none: the kernel
 * passes over it, iproute2 prints it `[unresolved]`); `nop` does nothing; the other three
 * end the lookup there, dropping the packet with that error (FR_ACT_* of fib_rules.h).
 */
export type RoutingRuleAction = "goto" | "nop" | "blackhole" | "unreachable" | "prohibit";

/**
 * A policy routing rule of the host's own namespace (`ip -j rule show`, or `ip -6 -j rule show`
 * for an IPv6 one: its selectors are IPv6 prefixes, `from all` is "::/0"), reduced to what
 * decides where the cluster's traffic goes: the rule's order, its source and destination
 * selectors, and what it does. Other selectors (fwmark, iif, uid range, ...) are not kept,
 * only the fact that the rule has some (`selective`): such a rule may or may not match the
 * cluster's traffic.
 *
 * A rule with neither `table` nor `action` looks up no table netplan-k can name: an l3mdev
 * rule (a VRF's table, chosen per device), or a rule of a snapshot written before netplan-k
 * read actions.
 */
export interface RoutingRule {
  /** Lower runs first: local 0, main 32766, default 32767 on every host. */
  readonly priority: number;
  /** Source selector as CIDR; "0.0.0.0/0" for `from all` ("::/0" in an IPv6 rule). */
  readonly from: string;
  /** Destination selector as CIDR; "0.0.0.0/0" ("::/0") when the rule has none. */
  readonly to: string;
  /** True when the rule also selects by something else than source and destination. */
  readonly selective: boolean;
  /** The table looked up, when that is what the rule does. */
  readonly table?: RouteTableId;
  /** What the rule does instead of a lookup; absent for a lookup. */
  readonly action?: RoutingRuleAction;
  /** The priority a `goto` rule jumps to (always higher than its own: the kernel refuses less). */
  readonly goto?: number;
  /**
   * `suppress_prefixlength N`: a route the lookup finds whose prefix is N bits or shorter is
   * rejected, and the walk goes on with the next rule (fib4_rule_suppress). 0 rejects only a
   * default route.
   */
  readonly suppressPrefixLength?: number;
}
