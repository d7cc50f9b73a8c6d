import type { Address, Link, Route, RoutingRule } from "../../src/model/index.js";
import { diff, hostState, link, net, route, underlay } from "./states.js";

/**
 * One host of a bridge-attached topology in 10.244.0.0/16, for the tests of foreign objects:
 * its block 10.244.1.0/24 on cni0, a peer's block 10.244.2.0/24 through the underlay, a
 * foreign docker0 and eth0.
 */
export const desired = hostState({
  root: net({
    links: [link("cni0", { kind: "bridge" })],
    addresses: [{ dev: "cni0", cidr: "10.244.1.1/24" }],
    routes: [route("10.244.2.0/24", { via: "192.168.64.6", dev: "eth0" })],
  }),
});
const docker0 = { name: "docker0", kind: "bridge", mtu: 1500, up: true } as const;
const own = desired.root;

/** A rule matching every packet (`from all lookup T`, `from all prohibit`, ...). */
export const rule = (priority: number, fields: Partial<RoutingRule> = {}): RoutingRule => ({
  priority,
  from: "0.0.0.0/0",
  to: "0.0.0.0/0",
  selective: false,
  ...fields,
});

/** The kernel's rules with `extra` among them, in priority order. */
export const rulesWith = (...extra: RoutingRule[]): RoutingRule[] =>
  [
    rule(0, { table: 255 }),
    ...extra,
    rule(32766, { table: 254 }),
    rule(32767, { table: 253 }),
  ].sort((a, b) => a.priority - b.priority);

/** The kernel's rules with a lookup of `table` from everywhere at `priority`. */
export const everyRule = (table: number | string, priority: number): RoutingRule[] =>
  rulesWith(rule(priority, { table }));

/** The converged host plus foreign objects; rules as observed (absent: an old observation). */
export function planWith(foreign: {
  routes?: Route[];
  addresses?: Address[];
  links?: Link[];
  rules?: RoutingRule[];
}): ReturnType<typeof diff> {
  return diff(
    desired,
    hostState({
      root: net({
        links: [underlay, ...own.links, docker0, ...(foreign.links ?? [])],
        addresses: [...own.addresses, ...(foreign.addresses ?? [])],
        routes: [...own.routes, ...(foreign.routes ?? [])],
      }),
      ...(foreign.rules !== undefined && { rules: foreign.rules }),
    }),
  );
}

export const foreignRoute = (dst: string, fields: Partial<Route> = {}): Route =>
  route(dst, { via: "192.168.64.99", dev: "eth0", protocol: 4, ...fields });

export const conflictReasons = (plan: ReturnType<typeof diff>): string[] =>
  plan.conflicts.map((conflict) => conflict.reason);
