import { MAIN_TABLE, ROUTE_PROTOCOL, type Route } from "../model/index.js";

/**
 * Constructors for the three route shapes the layout uses. All live in the main table (254)
 * and carry ROUTE_PROTOCOL, the ownership marker of routes.
 */

/** `<dst> via <via> dev <dev> [onlink] proto 77`. */
export const gatewayRoute = (dst: string, via: string, dev: string, onlink: boolean): Route => ({
  dst,
  table: MAIN_TABLE,
  type: "unicast",
  metric: 0,
  via,
  dev,
  onlink,
  scope: "global",
  protocol: ROUTE_PROTOCOL,
});

/** `<dst> dev <dev> scope link proto 77`: the next hop is the device itself. */
export const deviceRoute = (dst: string, dev: string): Route => ({
  dst,
  table: MAIN_TABLE,
  type: "unicast",
  metric: 0,
  dev,
  onlink: false,
  scope: "link",
  protocol: ROUTE_PROTOCOL,
});

/** `blackhole <dst> proto 77 metric <metric>`. */
export const blackholeRoute = (dst: string, metric: number): Route => ({
  dst,
  table: MAIN_TABLE,
  type: "blackhole",
  metric,
  onlink: false,
  scope: "global",
  protocol: ROUTE_PROTOCOL,
});

/**
 * The metric the kernel gives an IPv6 route added without one (IP6_RT_PRIO_USER; measured:
 * `ip -6 route add` lists `"metric":1024`). netplan-k writes it out, so that the desired
 * route's key is the one the kernel reports.
 */
export const IPV6_ROUTE_METRIC = 1024;

/**
 * `<dst> via <via> dev <dev> [onlink] proto 77 metric 1024`, IPv6. The kernel keeps no scope
 * for IPv6 routes (`ip -j` prints none, read as global).
 */
export const gatewayRoute6 = (dst: string, via: string, dev: string, onlink: boolean): Route => ({
  ...gatewayRoute(dst, via, dev, onlink),
  metric: IPV6_ROUTE_METRIC,
});

/** `<dst> dev <dev> proto 77 metric 1024`, IPv6: the next hop is the device itself. */
export const deviceRoute6 = (dst: string, dev: string): Route => ({
  ...deviceRoute(dst, dev),
  scope: "global",
  metric: IPV6_ROUTE_METRIC,
});

/**
 * `blackhole <dst> dev lo proto 77 metric <metric>`, IPv6: the kernel puts every IPv6
 * blackhole route on lo (measured: `ip -6 route add blackhole fd00:8::/64` lists
 * `"dev":"lo"` in `ip -j`, where an IPv4 blackhole has no dev), so the desired route says so.
 */
export const blackholeRoute6 = (dst: string, metric: number): Route => ({
  ...blackholeRoute(dst, metric),
  dev: "lo",
});
